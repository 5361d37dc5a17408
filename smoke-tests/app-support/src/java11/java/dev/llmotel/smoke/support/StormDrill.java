package dev.llmotel.smoke.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What the multi-fault drill scenario (tf-storm) shares between the LangChain4j and Spring AI apps:
 * a weather tool backed by the app's own service (the fake server's {@code /internal/} API, called with
 * the JDK's HttpClient as a tool calls a database or an internal API), and the agent asked several
 * times in a row, as traffic meets an incident.
 */
public final class StormDrill {
  /** Agent runs in one drill scenario: enough for the rules' timelines to start and stop within it. */
  public static final int RUNS = 6;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private StormDrill() {}

  /** The weather from the app's backend; a failing backend is the tool's failure (an unchecked exception). */
  public static String weatherFromBackend(String baseUrl, String scenario, String city) {
    String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    HttpRequest request = HttpRequest.newBuilder(URI.create(root + "/internal/weather/" + city))
        .header("x-fake-scenario", scenario).timeout(Duration.ofSeconds(10)).GET().build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("weather backend answered " + response.statusCode());
      }
      return response.body();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("weather backend unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Asks the agent {@link #RUNS} times: per run, "answered" or "failed:ExceptionType", space-separated. */
  public static String askRepeatedly(Callable<String> ask) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < RUNS; i++) {
      try {
        ask.call();
        out.append(i == 0 ? "" : " ").append("answered");
      } catch (Exception e) {
        out.append(i == 0 ? "" : " ").append("failed:").append(e.getClass().getSimpleName());
      }
    }
    return out.toString();
  }
}
