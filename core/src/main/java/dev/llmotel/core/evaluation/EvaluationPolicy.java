package dev.llmotel.core.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy file's {@code evaluation} section: a sample rate and evaluators for all calls, the
 * same per workflow, and thresholds per evaluator. Reloaded with the file; a bad section rejects
 * the file like any other.
 *
 * <pre>{@code
 * "evaluation": {"sample_rate": 0.1, "evaluators": ["relevance"], "thresholds": {"relevance": 0.6},
 *                "workflows": {"support": {"sample_rate": 1, "evaluators": ["relevance", "groundedness"]}}}
 * }</pre>
 */
public final class EvaluationPolicy {
  public static final EvaluationPolicy NONE = new EvaluationPolicy(null, null, Collections.<String, Double>emptyMap(),
      Collections.<String, EvaluationPolicy>emptyMap());

  /** Null: the configured sample rate. */
  final Double sampleRate;
  /** Null: the configured evaluators. */
  final List<String> evaluators;
  final Map<String, Double> thresholds;
  final Map<String, EvaluationPolicy> workflows;

  private EvaluationPolicy(Double sampleRate, List<String> evaluators, Map<String, Double> thresholds,
      Map<String, EvaluationPolicy> workflows) {
    this.sampleRate = sampleRate;
    this.evaluators = evaluators;
    this.thresholds = thresholds;
    this.workflows = workflows;
  }

  /** The section parsed; throws IllegalArgumentException saying what is wrong. */
  public static EvaluationPolicy parse(Map<?, ?> m) {
    return parse(m, true);
  }

  private static EvaluationPolicy parse(Map<?, ?> m, boolean top) {
    Double rate = null;
    if (m.get("sample_rate") != null) {
      Object v = m.get("sample_rate");
      if (!(v instanceof Number) || ((Number) v).doubleValue() < 0 || ((Number) v).doubleValue() > 1) {
        throw new IllegalArgumentException("evaluation \"sample_rate\" must be a number from 0 to 1");
      }
      rate = ((Number) v).doubleValue();
    }
    List<String> evaluators = null;
    if (m.get("evaluators") != null) {
      if (!(m.get("evaluators") instanceof List)) throw new IllegalArgumentException("evaluation \"evaluators\" must be a list of names");
      evaluators = new ArrayList<>();
      for (Object o : (List<?>) m.get("evaluators")) {
        if (!(o instanceof String)) throw new IllegalArgumentException("evaluation \"evaluators\" must be a list of names");
        evaluators.add((String) o);
      }
    }
    Map<String, Double> thresholds = new HashMap<>();
    Map<String, EvaluationPolicy> workflows = new HashMap<>();
    if (top) {
      if (m.get("thresholds") != null) {
        if (!(m.get("thresholds") instanceof Map)) throw new IllegalArgumentException("evaluation \"thresholds\" must be an object");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("thresholds")).entrySet()) {
          thresholds.put(String.valueOf(e.getKey()), Evaluators.threshold(String.valueOf(e.getKey()), e.getValue()));
        }
      }
      if (m.get("workflows") != null) {
        if (!(m.get("workflows") instanceof Map)) throw new IllegalArgumentException("evaluation \"workflows\" must be an object");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) m.get("workflows")).entrySet()) {
          if (!(e.getValue() instanceof Map)) throw new IllegalArgumentException("evaluation workflow " + e.getKey() + " must be an object");
          workflows.put(String.valueOf(e.getKey()), parse((Map<?, ?>) e.getValue(), false));
        }
      }
    }
    return new EvaluationPolicy(rate, evaluators, thresholds, workflows);
  }

  /** The sample rate of a workflow's calls: its own, else the file's, else the configured one. */
  public double sampleRate(String workflow, double configured) {
    EvaluationPolicy w = workflow == null ? null : workflows.get(workflow);
    if (w != null && w.sampleRate != null) return w.sampleRate;
    return sampleRate != null ? sampleRate : configured;
  }

  /** The evaluators of a workflow's calls: its own, else the file's, else the configured ones. */
  public List<String> evaluators(String workflow, List<String> configured) {
    EvaluationPolicy w = workflow == null ? null : workflows.get(workflow);
    if (w != null && w.evaluators != null) return w.evaluators;
    return evaluators != null ? evaluators : configured;
  }

  /** The evaluator with the file's threshold for it, if the file sets one; null stays null. */
  public Evaluator withThreshold(Evaluator e) {
    if (e == null) return null;
    Double t = thresholds.get(e.name);
    return t == null ? e : e.withThreshold(t);
  }

  /** Names this policy uses that the known evaluators lack (reported at load, never fatal to the rest). */
  List<String> unknownEvaluators(Evaluators known) {
    List<String> out = new ArrayList<>();
    collect(this, known, out);
    for (EvaluationPolicy w : workflows.values()) collect(w, known, out);
    for (String t : thresholds.keySet()) if (known.get(t) == null && !out.contains(t)) out.add(t);
    return out;
  }

  private static void collect(EvaluationPolicy p, Evaluators known, List<String> out) {
    if (p.evaluators == null) return;
    for (String e : p.evaluators) if (known.get(e) == null && !out.contains(e)) out.add(e);
  }
}
