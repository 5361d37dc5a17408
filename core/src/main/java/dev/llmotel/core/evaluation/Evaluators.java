package dev.llmotel.core.evaluation;

import dev.llmotel.core.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The evaluators a judge knows: three built in, with the rubrics documented in
 * docs/evaluation.md, and the operator's own from a rubric file.
 *
 * <p>A rubric file is JSON: {@code {"evaluators": {"<name>": {"rubric": "...", "threshold": 0.5,
 * "needs": "sources" | "instructions" | "nothing_more"}}}}. A name of the built-ins replaces that
 * built-in. Names are what metrics carry, so they are short identifiers.
 */
public final class Evaluators {
  public static final String RELEVANCE = "relevance";
  public static final String GROUNDEDNESS = "groundedness";
  public static final String INSTRUCTION_FOLLOWING = "instruction_following";
  /** Escalate under this score unless an evaluator says otherwise. */
  public static final double DEFAULT_THRESHOLD = 0.5;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  static final int MAX_RUBRIC_CHARS = 8_000;

  private final Map<String, Evaluator> byName;

  private Evaluators(Map<String, Evaluator> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  public static Evaluators builtIn() {
    Map<String, Evaluator> m = new LinkedHashMap<>();
    m.put(RELEVANCE, new Evaluator(RELEVANCE,
        "Relevance: does the answer address the question that was asked? Score 1 when it answers exactly "
            + "what was asked, 0.5 when it is on topic but misses part of the question or adds much that "
            + "was not asked, 0 when it answers something else or evades the question.",
        DEFAULT_THRESHOLD, Evaluator.Needs.NOTHING_MORE));
    m.put(GROUNDEDNESS, new Evaluator(GROUNDEDNESS,
        "Groundedness: is every claim of the answer supported by the sources (tool results, retrieved "
            + "documents, earlier messages) the model was given? Score 1 when every claim is supported, "
            + "0.5 when some claims are unsupported but none contradicts the sources, 0 when the answer "
            + "contradicts the sources or its main claims are not in them.",
        DEFAULT_THRESHOLD, Evaluator.Needs.SOURCES));
    m.put(INSTRUCTION_FOLLOWING, new Evaluator(INSTRUCTION_FOLLOWING,
        "Instruction following: does the answer obey the system instructions (role, format, tone, "
            + "language, length, what to refuse)? Score 1 when it obeys all of them, 0.5 when it breaks "
            + "a minor one, 0 when it breaks a central one.",
        DEFAULT_THRESHOLD, Evaluator.Needs.INSTRUCTIONS));
    return new Evaluators(m);
  }

  /** The built-ins with the rubric file's evaluators on top; throws IllegalArgumentException on a bad file. */
  public static Evaluators withRubrics(String json) {
    Map<String, Evaluator> m = new LinkedHashMap<>(builtIn().byName);
    Object parsed = Json.parse(json);
    if (!(parsed instanceof Map) || !(((Map<?, ?>) parsed).get("evaluators") instanceof Map)) {
      throw new IllegalArgumentException("a rubric file is {\"evaluators\": {\"<name>\": {\"rubric\": ...}}}");
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) ((Map<?, ?>) parsed).get("evaluators")).entrySet()) {
      String name = String.valueOf(e.getKey());
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("evaluator name \"" + name + "\" is not a short lower-case identifier");
      }
      if (!(e.getValue() instanceof Map)) throw new IllegalArgumentException("evaluator " + name + " must be an object");
      Map<?, ?> def = (Map<?, ?>) e.getValue();
      Object rubric = def.get("rubric");
      if (!(rubric instanceof String) || ((String) rubric).trim().isEmpty()) {
        throw new IllegalArgumentException("evaluator " + name + " needs a \"rubric\" string");
      }
      if (((String) rubric).length() > MAX_RUBRIC_CHARS) {
        throw new IllegalArgumentException("the rubric of " + name + " is over " + MAX_RUBRIC_CHARS + " characters");
      }
      double threshold = def.containsKey("threshold") ? threshold(name, def.get("threshold")) : DEFAULT_THRESHOLD;
      Evaluator.Needs needs = Evaluator.Needs.NOTHING_MORE;
      if (def.get("needs") != null) {
        try {
          needs = Evaluator.Needs.valueOf(String.valueOf(def.get("needs")).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException bad) {
          throw new IllegalArgumentException("evaluator " + name + ": \"needs\" is sources, instructions or nothing_more");
        }
      }
      m.put(name, new Evaluator(name, (String) rubric, threshold, needs));
    }
    return new Evaluators(m);
  }

  static double threshold(String name, Object v) {
    if (!(v instanceof Number) || ((Number) v).doubleValue() < 0 || ((Number) v).doubleValue() > 1) {
      throw new IllegalArgumentException("the threshold of " + name + " must be a number from 0 to 1");
    }
    return ((Number) v).doubleValue();
  }

  public Evaluator get(String name) {
    return byName.get(name);
  }

  public List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  /** These evaluators with some thresholds replaced (the policy file's); unknown names are ignored by the caller's check. */
  Evaluators withThresholds(Map<String, Double> thresholds) {
    if (thresholds.isEmpty()) return this;
    Map<String, Evaluator> m = new LinkedHashMap<>(byName);
    for (Map.Entry<String, Double> t : thresholds.entrySet()) {
      Evaluator e = m.get(t.getKey());
      if (e != null) m.put(t.getKey(), e.withThreshold(t.getValue()));
    }
    return new Evaluators(m);
  }
}
