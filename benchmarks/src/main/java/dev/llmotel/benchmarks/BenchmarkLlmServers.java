package dev.llmotel.benchmarks;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The fake LLM for the benchmarks, in a process of its own so that its threads and allocations are
 * not counted with the instrumented JVM's: one server answers every request with a chat completion,
 * the other with a stream of {@code streamChunks} chunks. Prints {@code CHAT_URL} and
 * {@code STREAM_URL} lines, then serves until killed.
 */
public final class BenchmarkLlmServers {
  public static void main(String[] args) throws InterruptedException {
    int streamChunks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    FakeLlmServer chat = FakeLlmServer.start(0);
    chat.setRecording(false);
    FakeLlmServer stream = FakeLlmServer.start(0);
    stream.setRecording(false);
    stream.setDefaultBehaviour(Behaviour.chunks(streamChunks));
    System.out.println("CHAT_URL " + chat.baseUrl() + "/v1");
    System.out.println("STREAM_URL " + stream.baseUrl() + "/v1");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  /** A running server process and its two base URLs. */
  static final class Running implements AutoCloseable {
    final Process process;
    final String chatUrl;
    final String streamUrl;

    private Running(Process process, String chatUrl, String streamUrl) {
      this.process = process;
      this.chatUrl = chatUrl;
      this.streamUrl = streamUrl;
    }

    /** The JVM flags that point {@link OpenAiCallBenchmark} at this process. */
    List<String> flags() {
      List<String> flags = new ArrayList<>();
      flags.add("-Dbenchmark.chat-url=" + chatUrl);
      flags.add("-Dbenchmark.stream-url=" + streamUrl);
      return flags;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  /**
   * Starts the servers in their own JVM and warms them up (their JIT compiles before the first
   * configuration is measured, not during it). Not pinned to a CPU: pinned, the server became the
   * bottleneck of the 64-caller benchmark and hid the client side's differences.
   */
  static Running launch(int streamChunks) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchmarkLlmServers.class.getName());
    command.add(String.valueOf(streamChunks));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    java.io.BufferedReader out = new java.io.BufferedReader(
        new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    String chatUrl = null;
    String streamUrl = null;
    String line;
    while ((chatUrl == null || streamUrl == null) && (line = out.readLine()) != null) {
      if (line.startsWith("CHAT_URL ")) chatUrl = line.substring("CHAT_URL ".length());
      if (line.startsWith("STREAM_URL ")) streamUrl = line.substring("STREAM_URL ".length());
    }
    if (chatUrl == null || streamUrl == null) {
      p.destroy();
      throw new IOException("the benchmark LLM servers did not start");
    }
    warmUp(chatUrl, streamUrl);
    return new Running(p, chatUrl, streamUrl);
  }

  private static void warmUp(String chatUrl, String streamUrl) throws IOException, InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"warm up\"}]";
    for (int i = 0; i < 20_000; i++) {
      boolean stream = i % 50 == 0;
      java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
              java.net.URI.create((stream ? streamUrl : chatUrl) + "/chat/completions"))
          .header("content-type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body + (stream ? ",\"stream\":true}" : "}")))
          .build();
      http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
    }
  }

  private BenchmarkLlmServers() {}
}
