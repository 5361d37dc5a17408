package dev.llmotel.core.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores of one group and what the report says of them: count, mean, min, max, median (p50, by
 * nearest rank: the value at rank ceil(n/2) in ascending order, always a score the judge gave), how many
 * are under the evaluator's threshold, a histogram of ten buckets of 0.1 ([0, 0.1) ... [0.9, 1], 1 in the
 * last), judge failures by result, and interactions the evaluator did not apply to.
 */
final class ScoreStats {
  static final int BUCKETS = 10;

  private final List<Double> scores = new ArrayList<>();
  private final int[] histogram = new int[BUCKETS];
  private final Map<String, Integer> failures = new TreeMap<>();
  private int belowThreshold;
  int notApplicable;

  void add(double score, double threshold) {
    scores.add(score);
    histogram[bucket(score)]++;
    if (score < threshold) belowThreshold++;
  }

  void failed(String result) {
    failures.merge(result, 1, Integer::sum);
  }

  void addAll(ScoreStats other) {
    scores.addAll(other.scores);
    for (int i = 0; i < BUCKETS; i++) histogram[i] += other.histogram[i];
    for (Map.Entry<String, Integer> f : other.failures.entrySet()) failures.merge(f.getKey(), f.getValue(), Integer::sum);
    belowThreshold += other.belowThreshold;
    notApplicable += other.notApplicable;
  }

  /** The bucket of a score: floor(score * 10), 1 in the last; a hair of tolerance so that 0.3 is in [0.3, 0.4). */
  static int bucket(double score) {
    int b = (int) Math.floor(score * BUCKETS + 1e-9);
    return Math.max(0, Math.min(BUCKETS - 1, b));
  }

  int count() {
    return scores.size();
  }

  /** Null when nothing was scored. */
  Double mean() {
    if (scores.isEmpty()) return null;
    double sum = 0;
    for (double s : scores) sum += s;
    return sum / scores.size();
  }

  Double min() {
    return scores.isEmpty() ? null : Collections.min(scores);
  }

  Double max() {
    return scores.isEmpty() ? null : Collections.max(scores);
  }

  /** The median by nearest rank, or null. */
  Double p50() {
    if (scores.isEmpty()) return null;
    List<Double> sorted = new ArrayList<>(scores);
    Collections.sort(sorted);
    return sorted.get((sorted.size() + 1) / 2 - 1);
  }

  int belowThreshold() {
    return belowThreshold;
  }

  int[] histogram() {
    return histogram.clone();
  }

  Map<String, Integer> failures() {
    return Collections.unmodifiableMap(failures);
  }

  int failed() {
    int n = 0;
    for (int f : failures.values()) n += f;
    return n;
  }
}
