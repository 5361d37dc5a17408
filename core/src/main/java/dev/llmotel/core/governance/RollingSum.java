package dev.llmotel.core.governance;

/**
 * A sum over a rolling time window, kept in fixed buckets (a minute in 60 one-second buckets, an
 * hour in 60 one-minute buckets, a day in 24 one-hour buckets): constant memory, and old spend
 * falls out of the window as time passes.
 */
final class RollingSum {
  private final long bucketMillis;
  private final double[] buckets;
  private final long[] bucketStart;

  RollingSum(int bucketCount, long bucketMillis) {
    this.bucketMillis = bucketMillis;
    this.buckets = new double[bucketCount];
    this.bucketStart = new long[bucketCount];
  }

  static RollingSum minute() { return new RollingSum(60, 1_000); }
  static RollingSum hour() { return new RollingSum(60, 60_000); }
  static RollingSum day() { return new RollingSum(24, 3_600_000); }

  synchronized void add(long nowMillis, double value) {
    int i = index(nowMillis);
    buckets[i] += value;
  }

  synchronized double sum(long nowMillis) {
    long oldest = (nowMillis / bucketMillis - buckets.length + 1) * bucketMillis;
    double total = 0;
    for (int k = 0; k < buckets.length; k++) {
      if (bucketStart[k] >= oldest) total += buckets[k];
    }
    return total;
  }

  private int index(long nowMillis) {
    long start = nowMillis / bucketMillis * bucketMillis;
    int i = (int) ((nowMillis / bucketMillis) % buckets.length);
    if (bucketStart[i] != start) {
      bucketStart[i] = start;
      buckets[i] = 0;
    }
    return i;
  }
}
