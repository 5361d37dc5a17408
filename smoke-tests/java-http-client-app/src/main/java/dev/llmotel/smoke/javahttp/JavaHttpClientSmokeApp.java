package dev.llmotel.smoke.javahttp;

import dev.llmotel.smoke.support.RawBodies;
import dev.llmotel.smoke.support.ScenarioLoop;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A legacy agent that talks to LLM APIs with the JDK's HttpClient directly, no SDK, run under the
 * real agent by the smoke tests (and without it, for the byte-for-byte comparison): blocking and
 * async calls, streams read fully and abandoned, a body never read, a request body the client reads
 * once, embeddings, Anthropic and Gemini formats, a custom endpoint, its own retry loop around a 429,
 * a response larger than llm-otel's copy, and a call the policies refuse. Scenario "await-metrics" waits
 * for what llm-otel records after the calls on its own threads (online evaluation's verdicts) to show
 * in the agent's Prometheus endpoint.
 */
public final class JavaHttpClientSmokeApp {
  static final String KEY = "sk-jdk-http-smoke-test-secret-0123456789abcdef";

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final String root;
  private final String localhostRoot;

  JavaHttpClientSmokeApp(String baseUrl) {
    this.root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    this.localhostRoot = root.replace("127.0.0.1", "localhost");
  }

  public static void main(String[] args) {
    JavaHttpClientSmokeApp app = new JavaHttpClientSmokeApp(args[0]);
    ScenarioLoop.runAll(args, app::run);
  }

  HttpRequest post(String scenario, String url, String json) {
    return post(scenario, url, HttpRequest.BodyPublishers.ofString(json));
  }

  HttpRequest post(String scenario, String url, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + KEY).header("x-api-key", KEY)
        .header("content-type", "application/json").header("x-fake-scenario", scenario).POST(body).build();
  }

  String read(HttpRequest request) throws Exception {
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return RawBodies.describe(response.statusCode(), response.body());
  }

  int status(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
  }

  /** Longest wait of "await-metrics". */
  static final long AWAIT_METRICS_MILLIS = 60_000;

  /**
   * Waits, at most {@link #AWAIT_METRICS_MILLIS}, until the agent's Prometheus endpoint (port {@code
   * otel.exporter.prometheus.port}) shows every text of the system property {@code smoke.await-metrics}
   * ("|"-separated): the judge of online evaluation answers on llm-otel's own thread after each call, so
   * its series come some time after the last scenario, and the scrape the app takes before it exits must
   * hold them.
   */
  String awaitMetrics() throws Exception {
    List<String> wanted = Arrays.stream(System.getProperty("smoke.await-metrics", "").split("\\|"))
        .filter(w -> !w.isEmpty()).collect(Collectors.toList());
    HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://localhost:"
        + System.getProperty("otel.exporter.prometheus.port") + "/metrics")).GET().build();
    long start = System.nanoTime();
    while (true) {
      String text = client.send(scrape, HttpResponse.BodyHandlers.ofString()).body();
      List<String> missing = wanted.stream().filter(w -> !text.contains(w)).collect(Collectors.toList());
      long waited = (System.nanoTime() - start) / 1_000_000;
      if (missing.isEmpty()) return wanted.size() + " present after " + waited + " ms";
      if (waited > AWAIT_METRICS_MILLIS) {
        throw new IllegalStateException("not in the Prometheus endpoint after " + waited + " ms: " + missing);
      }
      Thread.sleep(200);
    }
  }

  /** A stream read through an InputStream, as a legacy agent reads SSE line by line. */
  String readStream(HttpRequest request) throws Exception {
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      return RawBodies.describe(response.statusCode(), in.readAllBytes());
    }
  }

  String run(String scenario) throws Exception {
    String chat = root + "/v1/chat/completions";
    switch (scenario) {
      // The app's own backend (no LLM), as a tool or a RAG step calls it: what a drill's http_faults reach.
      case "internal-get":
      case "internal-down":
      case "internal-slow":
        return read(HttpRequest.newBuilder(URI.create(root + "/internal/orders/7")).header("x-fake-scenario", scenario)
            .GET().build());
      case "internal-search":
        return read(post(scenario, root + "/internal/search", "{\"query\": \"refund\", \"top_k\": 3}"));
      case "chat":
      case "large-response":
        return read(post(scenario, chat, RawBodies.chat("Say hello", false)));
      case "responses":
        return read(post(scenario, root + "/v1/responses", RawBodies.RESPONSES));
      case "responses-stream":
        return readStream(post(scenario, root + "/v1/responses", RawBodies.RESPONSES_STREAM));
      case "chat-system":
        return read(post(scenario, chat, RawBodies.chatWithSystem("You are a support assistant for ACME.", "Say hello")));
      case "chat-async": {
        HttpResponse<byte[]> response = client.sendAsync(post(scenario, chat, RawBodies.chat("Say hello", false)),
            HttpResponse.BodyHandlers.ofByteArray()).join();
        return RawBodies.describe(response.statusCode(), response.body());
      }
      case "chat-stream":
        return readStream(post(scenario, chat, RawBodies.chat("Tell me a short story", true)));
      case "chat-stream-abandoned": {
        HttpResponse<InputStream> response = client.send(post(scenario, chat, RawBodies.chat("Tell me a short story", true)),
            HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
          StringBuilder lines = new StringBuilder();
          for (int i = 0; i < 3; i++) lines.append(reader.readLine()).append('\n');
          return RawBodies.describe(response.statusCode(), lines.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      case "body-never-read": {
        HttpResponse<InputStream> response = client.send(post(scenario, chat, RawBodies.chat("Say hello", false)),
            HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return "status=" + response.statusCode();
      }
      case "body-read-once": {
        // A request body the client reads once (an input stream): sent as is, mapped without its content.
        byte[] json = RawBodies.chat("Say hello", false).getBytes(StandardCharsets.UTF_8);
        return read(post(scenario, chat, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json))));
      }
      case "custom-endpoint":
        return read(post(scenario, localhostRoot + "/v1/chat/completions", RawBodies.chat("Say hello", false)));
      case "embeddings":
        return read(post(scenario, root + "/v1/embeddings", RawBodies.EMBEDDINGS));
      case "anthropic":
        return read(post(scenario, root + "/v1/messages", RawBodies.ANTHROPIC));
      case "gemini":
        return read(post(scenario, root + "/v1beta/models/gemini-2.5-flash:generateContent?key=" + KEY,
            RawBodies.gemini("Say hello")));
      case "gemini-stream":
        return readStream(post(scenario, root + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=" + KEY,
            RawBodies.gemini("Tell me a short story")));
      case "retried-429": {
        StringBuilder outcomes = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
          HttpResponse<byte[]> response = client.send(post(scenario, chat, RawBodies.chat("Say hello", false)),
              HttpResponse.BodyHandlers.ofByteArray());
          outcomes.append(attempt == 0 ? "" : ",").append(response.statusCode());
          if (response.statusCode() < 400) break;
        }
        return outcomes.toString();
      }
      case "gov-big-prompt":
        return read(post(scenario, chat, RawBodies.chat(RawBodies.huge(), false)));
      case "lookalike-messaging":
        return RawBodies.lookAlikeMessaging((url, body) -> status(post(scenario, url, body)));
      case "lookalike-others":
        return RawBodies.lookAlikeOthers((url, body) -> status(post(scenario, url, body)));
      case "await-metrics":
        return awaitMetrics();
      case "unread-body-repeated": {
        // Five identical chat calls whose body llm-otel cannot read before sending: traced, never refused.
        byte[] json = RawBodies.chat("Say hello", false).getBytes(StandardCharsets.UTF_8);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          statuses.add(status(post(scenario, chat,
              HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(json)))));
        }
        return RawBodies.statuses(statuses);
      }
      default:
        // Structured output: the request declares its answer's structure (see RawBodies.structuredUrl).
        if (scenario.startsWith("out-")) {
          return read(post(scenario, RawBodies.structuredUrl(root, KEY, scenario), RawBodies.structuredBody(scenario)));
        }
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }
}
