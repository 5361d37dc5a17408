package dev.llmotel.testkit.otlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One metric from one export batch, decoded. Immutable. */
public final class ReceivedMetric {
  private final String name;
  private final String description;
  private final String unit;
  private final String type;
  private final String temporality;
  private final boolean monotonic;
  private final String scopeName;
  private final Map<String, Object> resourceAttributes;
  private final List<ReceivedPoint> points;

  public ReceivedMetric(
      String name,
      String description,
      String unit,
      String type,
      String temporality,
      boolean monotonic,
      String scopeName,
      Map<String, Object> resourceAttributes,
      List<ReceivedPoint> points) {
    this.name = name;
    this.description = description;
    this.unit = unit;
    this.type = type;
    this.temporality = temporality;
    this.monotonic = monotonic;
    this.scopeName = scopeName;
    this.resourceAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
    this.points = Collections.unmodifiableList(new ArrayList<>(points));
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public String unit() {
    return unit;
  }

  /** "SUM", "GAUGE", "HISTOGRAM", "EXPONENTIAL_HISTOGRAM", "SUMMARY" or "EMPTY". */
  public String type() {
    return type;
  }

  /** "CUMULATIVE", "DELTA" or "UNSPECIFIED" (gauges and summaries have none). */
  public String temporality() {
    return temporality;
  }

  /** For SUM metrics: whether the sum is monotonic. */
  public boolean isMonotonic() {
    return monotonic;
  }

  public String scopeName() {
    return scopeName;
  }

  public Map<String, Object> resourceAttributes() {
    return resourceAttributes;
  }

  public List<ReceivedPoint> points() {
    return points;
  }

  @Override
  public String toString() {
    return "Metric{" + name + " " + type + (unit.isEmpty() ? "" : " [" + unit + "]") + " scope=" + scopeName
        + " " + points + "}";
  }
}
