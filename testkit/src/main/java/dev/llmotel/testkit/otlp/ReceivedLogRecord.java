package dev.llmotel.testkit.otlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A log record as received over OTLP: its event name, span context, severity, body and attributes. Immutable. */
public final class ReceivedLogRecord {
  private final String eventName;
  private final String traceId;
  private final String spanId;
  private final String severityText;
  private final String body;
  private final String scope;
  private final Map<String, Object> attributes;

  public ReceivedLogRecord(String eventName, String traceId, String spanId, String severityText, String body,
      String scope, Map<String, Object> attributes) {
    this.eventName = eventName;
    this.traceId = traceId;
    this.spanId = spanId;
    this.severityText = severityText;
    this.body = body;
    this.scope = scope;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** The event name (empty when the record is a plain log line). */
  public String eventName() { return eventName; }
  /** Lowercase hex; empty when the record has no span context. */
  public String traceId() { return traceId; }
  public String spanId() { return spanId; }
  public String severityText() { return severityText; }
  public String body() { return body; }
  /** The instrumentation scope that emitted it. */
  public String scope() { return scope; }
  public Map<String, Object> attributes() { return attributes; }

  /** String form of an attribute, or null when absent. */
  public String attr(String key) {
    return Attributes.asString(attributes.get(key));
  }

  public Double doubleAttr(String key) {
    return Attributes.asDouble(attributes.get(key));
  }

  public boolean hasAttr(String key) {
    return attributes.containsKey(key);
  }

  @Override
  public String toString() {
    return "LogRecord{" + eventName + " " + traceId + "/" + spanId + " " + attributes + "}";
  }
}
