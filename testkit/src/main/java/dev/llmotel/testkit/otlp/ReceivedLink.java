package dev.llmotel.testkit.otlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A span link as received over OTLP. Immutable. */
public final class ReceivedLink {
  private final String traceId;
  private final String spanId;
  private final Map<String, Object> attributes;

  public ReceivedLink(String traceId, String spanId, Map<String, Object> attributes) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "Link{" + traceId + "/" + spanId + (attributes.isEmpty() ? "" : " " + attributes) + "}";
  }
}
