package dev.llmotel.testkit.otlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric data point. For SUM and GAUGE points {@link #value()} and {@link #isDouble()} apply;
 * for HISTOGRAM (and EXPONENTIAL_HISTOGRAM / SUMMARY) points {@link #count()} and {@link #sum()}
 * apply, explicit bounds and bucket counts for HISTOGRAM only. Immutable.
 */
public final class ReceivedPoint {
  private final Map<String, Object> attributes;
  private final long startEpochNanos;
  private final long timeEpochNanos;
  private final double value;
  private final boolean isDouble;
  private final long count;
  private final double sum;
  private final List<Double> explicitBounds;
  private final List<Long> bucketCounts;

  public ReceivedPoint(
      Map<String, Object> attributes,
      long startEpochNanos,
      long timeEpochNanos,
      double value,
      boolean isDouble,
      long count,
      double sum,
      List<Double> explicitBounds,
      List<Long> bucketCounts) {
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    this.startEpochNanos = startEpochNanos;
    this.timeEpochNanos = timeEpochNanos;
    this.value = value;
    this.isDouble = isDouble;
    this.count = count;
    this.sum = sum;
    this.explicitBounds = Collections.unmodifiableList(new ArrayList<>(explicitBounds));
    this.bucketCounts = Collections.unmodifiableList(new ArrayList<>(bucketCounts));
  }

  static ReceivedPoint number(
      Map<String, Object> attributes, long start, long time, double value, boolean isDouble) {
    return new ReceivedPoint(
        attributes, start, time, value, isDouble, 0, 0, Collections.emptyList(), Collections.emptyList());
  }

  static ReceivedPoint histogram(
      Map<String, Object> attributes,
      long start,
      long time,
      long count,
      double sum,
      List<Double> bounds,
      List<Long> bucketCounts) {
    return new ReceivedPoint(attributes, start, time, 0, true, count, sum, bounds, bucketCounts);
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  /** String form of a point attribute, or null. */
  public String attr(String key) {
    return Attributes.asString(attributes.get(key));
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long timeEpochNanos() {
    return timeEpochNanos;
  }

  /** SUM/GAUGE value; long values converted to double. 0 for histograms. */
  public double value() {
    return value;
  }

  /** True when the SUM/GAUGE point carried a double (as opposed to an int) value. */
  public boolean isDouble() {
    return isDouble;
  }

  /** SUM/GAUGE value as a long (truncated if it was a double). */
  public long longValue() {
    return (long) value;
  }

  /** Histogram count; 0 for SUM/GAUGE. */
  public long count() {
    return count;
  }

  /** Histogram sum; 0 for SUM/GAUGE. */
  public double sum() {
    return sum;
  }

  public List<Double> explicitBounds() {
    return explicitBounds;
  }

  public List<Long> bucketCounts() {
    return bucketCounts;
  }

  @Override
  public String toString() {
    if (!bucketCounts.isEmpty() || count != 0) {
      return "Point{" + attributes + " count=" + count + " sum=" + sum + " bounds=" + explicitBounds
          + " buckets=" + bucketCounts + "}";
    }
    return "Point{" + attributes + " value=" + (isDouble ? String.valueOf(value) : String.valueOf((long) value)) + "}";
  }
}
