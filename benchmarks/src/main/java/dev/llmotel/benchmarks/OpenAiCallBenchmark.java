package dev.llmotel.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An application's LLM calls through the OpenAI SDK against a local fake server, in a JVM that
 * {@link BenchmarkSuite} starts with the agent flags of one configuration. The fake server runs in
 * the same JVM; its own HTTP server instrumentation is off in every configuration, so the
 * difference between configurations is what the LLM instrumentation costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpenAiCallBenchmark {
  @Param({"1000"})
  public int streamChunks;

  private FakeLlmServer server;
  private OpenAIClient client;
  private ChatCompletionCreateParams chat;
  private ChatCompletionCreateParams stream;

  @Setup
  public void setUp() {
    server = FakeLlmServer.start(0);
    server.setRecording(false);
    server.script("warm", Behaviour.ok());
    client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("sk-benchmark-not-a-key")
        .maxRetries(0).build();
    chat = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a support assistant for ACME. Answer briefly.")
        .addUserMessage("My order 4711 has not arrived; it was due yesterday.")
        .temperature(0.2).build();
    stream = chat.toBuilder().putAdditionalHeader("x-fake-scenario", "stream")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
  }

  /** Scripts the next iteration's streams: each gets exactly {@link #streamChunks} content chunks. */
  @Setup(Level.Iteration)
  public void scriptStreams() {
    Behaviour[] steps = new Behaviour[20_000];
    java.util.Arrays.fill(steps, Behaviour.chunks(streamChunks));
    server.script("stream", steps);
  }

  @TearDown
  public void tearDown() {
    client.close();
    server.close();
  }

  /** One non-streaming chat completion. */
  @Benchmark
  public ChatCompletion chatCompletion() {
    return client.chat().completions().create(chat);
  }

  /** One streamed chat completion of {@link #streamChunks} chunks, read to the end. */
  @Benchmark
  public void streamedChatCompletion(Blackhole blackhole) {
    try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(stream)) {
      response.stream().forEach(blackhole::consume);
    }
  }
}
