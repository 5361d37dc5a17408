package dev.llmotel.core.governance;

/**
 * A sum over a rolling time window, kept in fixed buckets (a minute in 60 one-second buckets, an
 * hour in 60 one-minute buckets, a day in 24 one-hour buckets): constant memory, and old spend
 * falls out of the window as time passes. Not thread-safe: its owner ({@link LocalPolicyStore})
 * reads and changes every sum of one admission under one lock, so deciding and taking are one step.
 */
final class RollingSum {
  private final long bucketMillis;
  private final double[] buckets;
  private final long[] bucketStart;

  RollingSum(int bucketCount, long bucketMillis) {
    this.bucketMillis = bucketMillis;
    this.buckets = new double[bucketCount];
    this.bucketStart = new long[bucketCount];
    java.util.Arrays.fill(bucketStart, Long.MIN_VALUE);
  }

  static RollingSum minute() { return new RollingSum(60, 1_000); }
  static RollingSum hour() { return new RollingSum(60, 60_000); }
  static RollingSum day() { return new RollingSum(24, 3_600_000); }

  long windowMillis() {
    return bucketMillis * buckets.length;
  }

  void add(long nowMillis, double value) {
    int i = index(nowMillis);
    buckets[i] += value;
  }

  /**
   * Corrects an amount added at {@code atMillis} (a reservation settled to the real cost): the
   * difference goes to the bucket it was added to while that bucket is still in the window; once
   * it has left the window, so has the amount, and nothing is added.
   */
  void adjust(long atMillis, long nowMillis, double delta) {
    long start = atMillis / bucketMillis * bucketMillis;
    if (start < oldest(nowMillis)) return;
    int i = (int) ((atMillis / bucketMillis) % buckets.length);
    if (bucketStart[i] == start) buckets[i] += delta;
  }

  double sum(long nowMillis) {
    long oldest = oldest(nowMillis);
    double total = 0;
    for (int k = 0; k < buckets.length; k++) {
      if (bucketStart[k] >= oldest) total += buckets[k];
    }
    return total;
  }

  private long oldest(long nowMillis) {
    return (nowMillis / bucketMillis - buckets.length + 1) * bucketMillis;
  }

  private int index(long nowMillis) {
    long start = nowMillis / bucketMillis * bucketMillis;
    int i = (int) ((nowMillis / bucketMillis) % buckets.length);
    // Only a newer period takes a bucket over: a caller that read the clock a moment before another
    // (and took the lock after it) adds to the current period rather than wiping it.
    if (bucketStart[i] < start) {
      bucketStart[i] = start;
      buckets[i] = 0;
    }
    return i;
  }
}
