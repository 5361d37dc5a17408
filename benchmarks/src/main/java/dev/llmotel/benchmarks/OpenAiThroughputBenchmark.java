package dev.llmotel.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Calls per second of 64 application threads sharing one OpenAI client, as a busy service makes
 * them: what contention inside the instrumentation (shared maps, counters, the span processor)
 * costs. Same fake server and flags as {@link OpenAiCallBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(64)
public class OpenAiThroughputBenchmark {
  private FakeLlmServer local;
  private OpenAIClient client;
  private ChatCompletionCreateParams chat;

  @Setup
  public void setUp() {
    String chatUrl = System.getProperty("benchmark.chat-url");
    if (chatUrl == null) {
      local = FakeLlmServer.start(0);
      local.setRecording(false);
      chatUrl = local.baseUrl() + "/v1";
    }
    client = OpenAiCallBenchmark.client(chatUrl);
    chat = OpenAiCallBenchmark.chatRequest();
  }

  @TearDown
  public void tearDown() {
    client.close();
    if (local != null) local.close();
  }

  /** One non-streaming chat completion, from one of 64 threads. */
  @Benchmark
  public ChatCompletion chatCompletion64Threads() {
    return client.chat().completions().create(chat);
  }
}
