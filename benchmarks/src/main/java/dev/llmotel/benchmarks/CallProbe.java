package dev.llmotel.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The measured app of {@link CpuPerCallBenchmark}, one JVM per configuration: it waits for commands
 * on stdin ({@code WORKLOAD CALLS}), makes that many calls on its main thread, each under a parent span
 * of its own (as a service's request would be), and answers one line:
 * {@code RESULT thread_cpu_ns process_cpu_ns allocated_bytes wall_ns jit_compiling_ms}. Workloads: {@code short} (a
 * one-sentence chat completion), {@code large} (a 400,000-character prompt that differs on every call),
 * {@code stream} (a streamed completion of the stream server's chunks), {@code http} (the short chat as
 * a plain JDK HttpClient request).
 */
public final class CallProbe {
  static final int LARGE_PROMPT_CHARS = 400_000;

  private final OpenAIClient client;
  private final OpenAIClient streamClient;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI httpChat;
  private final Tracer tracer = GlobalOpenTelemetry.getTracer("benchmark-app");
  private final char[] large;
  private long counter;

  private CallProbe(String chatUrl, String streamUrl) {
    client = OpenAIOkHttpClient.builder().baseUrl(chatUrl).apiKey("sk-benchmark").maxRetries(0).build();
    streamClient = OpenAIOkHttpClient.builder().baseUrl(streamUrl).apiKey("sk-benchmark").maxRetries(0).build();
    httpChat = URI.create(chatUrl + "/chat/completions");
    // A RAG prompt: retrieved text, words of varied length, about 100,000 tokens.
    StringBuilder b = new StringBuilder(LARGE_PROMPT_CHARS);
    String[] words = {"the ", "retrieved ", "passage ", "mentions ", "invoice ", "2024 ", "shipping ", "of ",
        "order ", "A-1093 ", "and ", "its ", "delivery ", "window, ", "which ", "customers ", "asked ", "about. "};
    for (int i = 0; b.length() < LARGE_PROMPT_CHARS; i++) b.append(words[(i * 7 + i / 13) % words.length]);
    large = Arrays.copyOf(b.toString().toCharArray(), LARGE_PROMPT_CHARS);
  }

  public static void main(String[] args) throws Exception {
    CallProbe probe = new CallProbe(args[0], args[1]);
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
    // The JIT's compiling time during a command: the benchmark warms a JVM up until it stays low.
    java.lang.management.CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("READY");
    System.out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      String[] command = line.trim().split(" ");
      if (command[0].equals("EXIT")) break;
      int calls = Integer.parseInt(command[1]);
      long compilingBefore = compilation.getTotalCompilationTime();
      long allocatedBefore = allocatedByAllThreads(threads, allocation);
      long processBefore = os.getProcessCpuTime();
      long threadBefore = threads.getCurrentThreadCpuTime();
      long wallBefore = System.nanoTime();
      for (int i = 0; i < calls; i++) probe.call(command[0]);
      long wall = System.nanoTime() - wallBefore;
      long thread = threads.getCurrentThreadCpuTime() - threadBefore;
      long process = os.getProcessCpuTime() - processBefore;
      long allocated = allocatedByAllThreads(threads, allocation) - allocatedBefore;
      long compiling = compilation.getTotalCompilationTime() - compilingBefore;
      System.out.println(String.format(Locale.ROOT, "RESULT %d %d %d %d %d", thread, process, allocated, wall, compiling));
      System.out.flush();
    }
    System.exit(0);
  }

  /** Bytes allocated by every live thread (the app's, the SDK's, the agent's exporters): a call's allocation wherever it happens. */
  private static long allocatedByAllThreads(java.lang.management.ThreadMXBean threads,
      com.sun.management.ThreadMXBean allocation) {
    long sum = 0;
    for (long bytes : allocation.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (bytes > 0) sum += bytes;
    }
    return sum;
  }

  private void call(String workload) throws Exception {
    Span parent = tracer.spanBuilder("handle request").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      switch (workload) {
        case "short":
          client.chat().completions().create(chat("What is the capital of France?").build());
          break;
        case "large":
          // Differs on every call: a cache keyed by the prompt never hits, as with real retrieved context.
          String stamp = Long.toString(++counter);
          for (int i = 0; i < stamp.length(); i++) large[i] = stamp.charAt(i);
          client.chat().completions().create(chat(new String(large)).build());
          break;
        case "stream":
          try (StreamResponse<ChatCompletionChunk> stream = streamClient.chat().completions()
              .createStreaming(chat("Tell me a long story.").build())) {
            stream.stream().forEach(chunk -> { });
          }
          break;
        case "http":
          HttpRequest request = HttpRequest.newBuilder(httpChat)
              .header("content-type", "application/json").header("authorization", "Bearer sk-benchmark")
              .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\","
                  + "\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}"))
              .build();
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) throw new IllegalStateException("status " + response.statusCode());
          break;
        default:
          throw new IllegalArgumentException(workload);
      }
    } finally {
      parent.end();
    }
  }

  private static ChatCompletionCreateParams.Builder chat(String user) {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a terse assistant.").addUserMessage(user).temperature(0.2);
  }
}
