package dev.llmotel.testkit.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request the {@link FakeLlmServer} received, recorded on arrival (so hanging requests are recorded too).
 * Immutable. Headers are kept for assertions but never printed: {@link #toString()} leaves them out because
 * they carry API keys.
 */
public final class RecordedRequest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String method;
  private final String path;
  private final String query;
  private final Map<String, List<String>> headers;
  private final String body;
  private final String scenario;
  private volatile JsonNode json;

  RecordedRequest(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      String body,
      String scenario) {
    this.method = method;
    this.path = path;
    this.query = query;
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      copy.put(e.getKey(), Collections.unmodifiableList(new java.util.ArrayList<>(e.getValue())));
    }
    this.headers = Collections.unmodifiableMap(copy);
    this.body = body;
    this.scenario = scenario;
  }

  /** HTTP method, e.g. {@code POST}. */
  public String method() {
    return method;
  }

  /** Request path without the query string, e.g. {@code /v1/chat/completions}. */
  public String path() {
    return path;
  }

  /** Raw query string, or null. */
  public String query() {
    return query;
  }

  /** All headers; lookup by name is case-insensitive. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** First value of header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Request body as UTF-8 text (empty string if none). */
  public String body() {
    return body;
  }

  /** Value of the {@code x-fake-scenario} header, or null. */
  public String scenario() {
    return scenario;
  }

  /** The body parsed as JSON; a {@link MissingNode} if the body is empty or not valid JSON. */
  public JsonNode json() {
    JsonNode j = json;
    if (j == null) {
      try {
        j = body.isEmpty() ? MissingNode.getInstance() : MAPPER.readTree(body);
        if (j == null) {
          j = MissingNode.getInstance();
        }
      } catch (Exception e) {
        j = MissingNode.getInstance();
      }
      json = j;
    }
    return j;
  }

  @Override
  public String toString() {
    return "RecordedRequest{"
        + method
        + " "
        + path
        + (scenario == null ? "" : ", scenario=" + scenario)
        + ", body="
        + body.length()
        + " chars}";
  }
}
