package dev.llmotel.core.evaluation;

import dev.llmotel.core.Json;
import java.util.Map;

/** What the judge answered for one evaluator: a score from 0 to 1, a label and an explanation. */
public final class JudgeVerdict {
  public final double score;
  public final String label;
  public final String explanation;
  /** What the judge's call cost in USD, or null when its model has no price. */
  public final Double costUsd;

  JudgeVerdict(double score, String label, String explanation, Double costUsd) {
    this.score = score;
    this.label = label;
    this.explanation = explanation;
    this.costUsd = costUsd;
  }

  /**
   * Reads the judge's answer text: a JSON object of the {@code llm_otel_evaluation} schema, nothing
   * else. Anything that does not fit (not JSON, a score outside 0..1 or not a number, a missing label
   * or explanation) is a judge failure, never guessed into a score.
   */
  public static JudgeVerdict parse(String text, Double costUsd) throws JudgeFailure {
    if (text == null) throw new JudgeFailure(JudgeFailure.INVALID, "the judge answered no text");
    Object parsed;
    try {
      parsed = Json.parse(text.trim());
    } catch (RuntimeException e) {
      throw new JudgeFailure(JudgeFailure.INVALID, "the judge's answer is not JSON");
    }
    if (!(parsed instanceof Map)) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's answer is not a JSON object");
    Map<?, ?> m = (Map<?, ?>) parsed;
    Object score = m.get("score");
    if (!(score instanceof Number)) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's score is not a number");
    double s = ((Number) score).doubleValue();
    if (!(s >= 0 && s <= 1)) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's score is outside 0..1");
    if (!(m.get("label") instanceof String)) throw new JudgeFailure(JudgeFailure.INVALID, "the judge gave no label");
    if (!(m.get("explanation") instanceof String)) {
      throw new JudgeFailure(JudgeFailure.INVALID, "the judge gave no explanation");
    }
    return new JudgeVerdict(s, cut((String) m.get("label"), 64), cut((String) m.get("explanation"), 2_000), costUsd);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
