package dev.llmotel.smoke.lc4jboot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The scenarios, as a client of the app's own endpoints would run them. The detail each returns is
 * what the test compares the telemetry with: the answers, and for a stream the events received.
 */
final class SelfClient {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final OutputScenarios outputs;

  SelfClient(String base, OutputScenarios outputs) {
    this.base = base;
    this.outputs = outputs;
  }

  String run(String scenario) throws IOException, InterruptedException {
    FakeScenario.set(scenario);
    switch (scenario) {
      case "support-session": {
        String path = "/sessions/session-1/support?message=";
        String first = get(path + encode("Hello, I am John Doe. Can I cancel my booking 123-456?"));
        // The second turn only makes sense with the first in the session's memory.
        String second = get(path + encode("How much would that cost me?"));
        return "first=" + first + " second=" + second;
      }
      case "support-other-session":
        return "first=" + get("/sessions/session-2/support?message="
            + encode("What are the details of booking 789-012 for Jane Roe?"));
      case "assistant":
        return get("/assistant?message=" + encode("What is the weather in Paris?"));
      case "streaming-assistant":
      case "streaming-assistant-error":
        return stream("/streamingAssistant?message=" + encode("What is the weather in Paris?"));
      case "out-endpoint-wrong":
        return get("/city?question=" + encode("What is the capital of France and its population?"));
      case "out-valid":
      case "out-wrong":
      case "out-tool-wrong":
      case "out-stream-wrong":
        return outputs.run(scenario);
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  private String get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + pathAndQuery + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return response.body();
  }

  /**
   * Reads the whole event stream: "status=S events=N text=T", T the events' data joined as sent.
   * Spring writes "data:" with no space after it, so what follows is the partial answer exactly.
   */
  private String stream(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<java.util.stream.Stream<String>> response =
        http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofLines());
    List<String> data;
    try (java.util.stream.Stream<String> lines = response.body()) {
      data = lines.filter(l -> l.startsWith("data:")).map(l -> l.substring("data:".length()))
          .collect(Collectors.toList());
    }
    return "status=" + response.statusCode() + " events=" + data.size() + " text=" + String.join("", data);
  }

  private HttpRequest request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
