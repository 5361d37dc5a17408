package dev.llmotel.testkit.otlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span as received over OTLP, decoded to plain Java values. Immutable.
 *
 * <p>Ids are lowercase hex; {@link #parentSpanId()} is the empty string for a root span. Attribute
 * values are String, Long, Double, Boolean or List&lt;Object&gt; (arrays); bytes values become hex
 * strings and kvlist values Map&lt;String,Object&gt;.
 */
public final class ReceivedSpan {
  private final String traceId;
  private final String spanId;
  private final String parentSpanId;
  private final String name;
  private final String kind;
  private final String statusCode;
  private final String statusMessage;
  private final long startEpochNanos;
  private final long endEpochNanos;
  private final Map<String, Object> attributes;
  private final List<ReceivedEvent> events;
  private final List<ReceivedLink> links;
  private final Map<String, Object> resourceAttributes;
  private final String scopeName;
  private final String scopeVersion;

  public ReceivedSpan(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String kind,
      String statusCode,
      String statusMessage,
      long startEpochNanos,
      long endEpochNanos,
      Map<String, Object> attributes,
      List<ReceivedEvent> events,
      List<ReceivedLink> links,
      Map<String, Object> resourceAttributes,
      String scopeName,
      String scopeVersion) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId == null ? "" : parentSpanId;
    this.name = name;
    this.kind = kind;
    this.statusCode = statusCode;
    this.statusMessage = statusMessage == null ? "" : statusMessage;
    this.startEpochNanos = startEpochNanos;
    this.endEpochNanos = endEpochNanos;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    this.events = Collections.unmodifiableList(new ArrayList<>(events));
    this.links = Collections.unmodifiableList(new ArrayList<>(links));
    this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
    this.scopeName = scopeName == null ? "" : scopeName;
    this.scopeVersion = scopeVersion == null ? "" : scopeVersion;
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  /** Empty string when this is a root span. */
  public String parentSpanId() {
    return parentSpanId;
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  public String name() {
    return name;
  }

  /** "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER" or "UNSPECIFIED". */
  public String kind() {
    return kind;
  }

  /** "UNSET", "OK" or "ERROR". */
  public String statusCode() {
    return statusCode;
  }

  public String statusMessage() {
    return statusMessage;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  public List<ReceivedEvent> events() {
    return events;
  }

  /** Events with the given name, in order. */
  public List<ReceivedEvent> events(String eventName) {
    List<ReceivedEvent> out = new ArrayList<>();
    for (ReceivedEvent e : events) {
      if (e.name().equals(eventName)) {
        out.add(e);
      }
    }
    return out;
  }

  public List<ReceivedLink> links() {
    return links;
  }

  public Map<String, Object> resourceAttributes() {
    return resourceAttributes;
  }

  public String scopeName() {
    return scopeName;
  }

  public String scopeVersion() {
    return scopeVersion;
  }

  /** String form of an attribute (arrays joined with ","), or null when absent. */
  public String attr(String key) {
    return Attributes.asString(attributes.get(key));
  }

  /** The attribute as a Long (numbers converted, numeric strings parsed), or null. */
  public Long longAttr(String key) {
    return Attributes.asLong(attributes.get(key));
  }

  /** The attribute as a Double (numbers converted, numeric strings parsed), or null. */
  public Double doubleAttr(String key) {
    return Attributes.asDouble(attributes.get(key));
  }

  public boolean hasAttr(String key) {
    return attributes.containsKey(key);
  }

  /** The raw attribute value, or null. */
  public Object rawAttr(String key) {
    return attributes.get(key);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Span{");
    sb.append('\'').append(name).append("' ").append(kind);
    sb.append(" trace=").append(traceId).append(" span=").append(spanId);
    if (!parentSpanId.isEmpty()) {
      sb.append(" parent=").append(parentSpanId);
    }
    if (!"UNSET".equals(statusCode)) {
      sb.append(" status=").append(statusCode);
      if (!statusMessage.isEmpty()) {
        sb.append('(').append(statusMessage).append(')');
      }
    }
    sb.append(" ").append(attributes.size()).append(" attrs");
    if (!events.isEmpty()) {
      sb.append(" ").append(events.size()).append(" events");
    }
    sb.append('}');
    return sb.toString();
  }
}
