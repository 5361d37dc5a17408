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
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An application's LLM calls through the OpenAI SDK against a local fake server, in a JVM that
 * {@link BenchmarkSuite} starts with the agent flags of one configuration. The fake server runs in
 * its own process ({@link BenchmarkLlmServers}, URLs in {@code benchmark.chat-url} and
 * {@code benchmark.stream-url}); run alone, the benchmark starts one in this JVM instead.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpenAiCallBenchmark {
  static final int STREAM_CHUNKS = 1000;

  private FakeLlmServer localChat;
  private FakeLlmServer localStream;
  private OpenAIClient client;
  private OpenAIClient streamClient;
  private ChatCompletionCreateParams chat;
  private ChatCompletionCreateParams stream;

  @Setup
  public void setUp() {
    String chatUrl = System.getProperty("benchmark.chat-url");
    String streamUrl = System.getProperty("benchmark.stream-url");
    if (chatUrl == null || streamUrl == null) {
      localChat = FakeLlmServer.start(0);
      localChat.setRecording(false);
      localStream = FakeLlmServer.start(0);
      localStream.setRecording(false);
      localStream.setDefaultBehaviour(Behaviour.chunks(STREAM_CHUNKS));
      chatUrl = localChat.baseUrl() + "/v1";
      streamUrl = localStream.baseUrl() + "/v1";
    }
    client = client(chatUrl);
    streamClient = client(streamUrl);
    chat = chatRequest();
    stream = chat.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
  }

  static OpenAIClient client(String baseUrl) {
    return OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-benchmark-not-a-key").maxRetries(0).build();
  }

  static ChatCompletionCreateParams chatRequest() {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a support assistant for ACME. Answer briefly.")
        .addUserMessage("My order 4711 has not arrived; it was due yesterday.")
        .temperature(0.2).build();
  }

  @TearDown
  public void tearDown() {
    client.close();
    streamClient.close();
    if (localChat != null) localChat.close();
    if (localStream != null) localStream.close();
  }

  /** One non-streaming chat completion. */
  @Benchmark
  public ChatCompletion chatCompletion() {
    return client.chat().completions().create(chat);
  }

  /** One streamed chat completion of {@link #STREAM_CHUNKS} chunks, read to the end. */
  @Benchmark
  public void streamedChatCompletion(Blackhole blackhole) {
    try (StreamResponse<ChatCompletionChunk> response = streamClient.chat().completions().createStreaming(stream)) {
      response.stream().forEach(blackhole::consume);
    }
  }
}
