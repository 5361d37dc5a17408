package dev.llmotel.testkit.otlp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A span event as received over OTLP. Immutable. */
public final class ReceivedEvent {
  private final String name;
  private final long timeEpochNanos;
  private final Map<String, Object> attributes;

  public ReceivedEvent(String name, long timeEpochNanos, Map<String, Object> attributes) {
    this.name = name;
    this.timeEpochNanos = timeEpochNanos;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public String name() {
    return name;
  }

  public long timeEpochNanos() {
    return timeEpochNanos;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  /** String form of an attribute, or null when absent. */
  public String attr(String key) {
    return Attributes.asString(attributes.get(key));
  }

  public Long longAttr(String key) {
    return Attributes.asLong(attributes.get(key));
  }

  public Double doubleAttr(String key) {
    return Attributes.asDouble(attributes.get(key));
  }

  public boolean hasAttr(String key) {
    return attributes.containsKey(key);
  }

  @Override
  public String toString() {
    return "Event{" + name + " " + attributes + "}";
  }
}
