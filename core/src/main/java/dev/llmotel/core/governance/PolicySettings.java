package dev.llmotel.core.governance;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmOtelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Policy configuration: simple caps from system properties or environment variables, per-workflow
 * and per-model rules from a JSON policy file. A property beats the file for the same setting. At
 * startup an invalid value or section is reported in one log line and that policy stays off; a
 * changed policy file is taken only when all of it is valid ({@link #reload}), else the settings in
 * force stay.
 */
final class PolicySettings {
  private static final Logger logger = Logger.getLogger(PolicySettings.class.getName());
  static final String PREFIX = "otel.instrumentation.llm-otel.";

  enum Mode { OFF, MONITOR, ENFORCE }

  Mode timeoutMode = Mode.OFF;
  long timeoutMillis;
  long firstChunkMillis;
  Mode inputTokensMode = Mode.OFF;
  long maxInputTokens;
  final Map<String, Long> maxInputTokensByModel = new HashMap<>();
  Mode costMode = Mode.OFF;
  final Caps processCaps = new Caps();
  final Map<String, Caps> workflowCaps = new HashMap<>();
  double perTraceUsd;
  Mode rateLimitMode = Mode.OFF;
  long callsPerMinute;
  final Map<String, Long> callsPerMinuteByModel = new HashMap<>();
  Mode loopGuardMode = Mode.OFF;
  long maxRepeats = 3;
  /** What an answer that fails its declared structure does: off records it, enforce fails the call. */
  Mode outputValidationMode = Mode.OFF;
  /** The policy file's evaluation section (sample rates and evaluators per workflow, thresholds). */
  dev.llmotel.core.evaluation.EvaluationPolicy evaluation = dev.llmotel.core.evaluation.EvaluationPolicy.NONE;
  /** Answers whose mean token probability is below this are escalated (only where logprobs came back). */
  double confidenceThreshold = 0.6;
  List<Workflows.Rule> workflowRules = Collections.emptyList();
  /**
   * Workflows the operator named (cost.workflows keys, workflow_rules targets, the "workflows"
   * list): always resolved, never displaced by the cardinality cap, and the only values a remote
   * caller's baggage may select.
   */
  final Set<String> declaredWorkflows = new HashSet<>();
  /** Whether workflow and prompt-version baggage from remote callers is taken as it is (default: no). */
  boolean trustRemoteBaggage;
  /** Whether the cost policy in enforce mode refuses calls to models without a price. */
  boolean unpricedRefused;
  /** Output tokens a cost reservation assumes for a request that sets no maximum. */
  long estimatedOutputTokens = 1024;
  /** The problems found while reading; at startup each is logged, on a reload any one rejects the file. */
  final List<String> problems = new ArrayList<>();
  private boolean collectOnly;

  /** Spend limits per rolling window, in USD; 0 means no limit. */
  static final class Caps {
    double perMinute;
    double perHour;
    double perDay;

    boolean any() {
      return perMinute > 0 || perHour > 0 || perDay > 0;
    }
  }

  static PolicySettings load() {
    PolicySettings s = new PolicySettings();
    String file = policyFile();
    if (file != null) s.applyFile(file, GovernanceFiles.readOrNull(file));
    s.applyProperties();
    return s;
  }

  /** The configured policy file's path, or null. */
  static String policyFile() {
    String file = LlmOtelConfig.raw(PREFIX + "policy-file");
    return file == null || file.isEmpty() ? null : file;
  }

  /**
   * The settings of a changed policy file (its text read by the caller), with the properties on
   * top as at startup; null when anything in it is invalid: then nothing is logged here, and the
   * caller reports {@link #problems} of the rejected version in one line.
   */
  static PolicySettings reload(String path, String text, List<String> problemsOut) {
    PolicySettings s = new PolicySettings();
    s.collectOnly = true;
    s.applyFile(path, text);
    s.applyProperties();
    if (!s.problems.isEmpty()) {
      problemsOut.addAll(s.problems);
      return null;
    }
    return s;
  }

  private void report(String pattern, Object... args) {
    problems.add(java.text.MessageFormat.format(pattern, args));
    if (!collectOnly) ConfigProblems.report(logger, pattern, args);
  }

  private void applyFile(String path, String text) {
    Map<?, ?> root;
    try {
      if (text == null) throw new IllegalArgumentException("cannot be read");
      Object parsed = Json.parse(text);
      if (!(parsed instanceof Map)) throw new IllegalArgumentException("the top level must be an object");
      root = (Map<?, ?>) parsed;
    } catch (Exception e) {
      report("llm-otel: policy file {0} is invalid ({1}); its policies stay off", path, e.getMessage());
      return;
    }
    section(path, root, "timeout", m -> {
      timeoutMillis = optionalLong(m, "ms");
      firstChunkMillis = optionalLong(m, "first_chunk_ms");
      if (timeoutMillis == 0 && firstChunkMillis == 0) {
        throw new IllegalArgumentException("needs \"ms\" or \"first_chunk_ms\"");
      }
      timeoutMode = mode(m);
    });
    section(path, root, "input_tokens", m -> {
      maxInputTokens = optionalLong(m, "max");
      maxInputTokensByModel.putAll(longMap(m, "models"));
      inputTokensMode = mode(m);
    });
    section(path, root, "cost", m -> {
      readCaps(m, processCaps);
      perTraceUsd = optionalDouble(m, "per_trace_usd");
      Object workflows = m.get("workflows");
      if (workflows != null) {
        if (!(workflows instanceof Map)) throw new IllegalArgumentException("\"workflows\" must be an object");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) workflows).entrySet()) {
          if (!(e.getValue() instanceof Map)) throw new IllegalArgumentException("workflow caps must be objects");
          Caps caps = new Caps();
          readCaps((Map<?, ?>) e.getValue(), caps);
          workflowCaps.put(e.getKey().toString(), caps);
        }
      }
      Object unpriced = m.get("unpriced");
      if (unpriced != null) unpricedRefused = unpricedRefuses(unpriced.toString());
      if (m.get("estimated_output_tokens") != null) estimatedOutputTokens = positiveLong(m, "estimated_output_tokens");
      costMode = mode(m);
      declaredWorkflows.addAll(workflowCaps.keySet());
    });
    section(path, root, "rate_limit", m -> {
      callsPerMinute = optionalLong(m, "calls_per_minute");
      callsPerMinuteByModel.putAll(longMap(m, "models"));
      rateLimitMode = mode(m);
    });
    section(path, root, "loop_guard", m -> {
      if (m.get("max_repeats") != null) maxRepeats = positiveLong(m, "max_repeats");
      loopGuardMode = mode(m);
    });
    section(path, root, "output_validation", m -> outputValidationMode = mode(m));
    section(path, root, "evaluation", m -> evaluation = dev.llmotel.core.evaluation.EvaluationPolicy.parse(m));
    section(path, root, "escalation", m -> {
      Object threshold = m.get("confidence_threshold");
      if (threshold != null) confidenceThreshold = fraction(threshold);
    });
    Object rules = root.get("workflow_rules");
    if (rules != null) {
      try {
        List<Workflows.Rule> parsed = new ArrayList<>();
        if (!(rules instanceof List)) throw new IllegalArgumentException("must be an array");
        for (Object o : (List<?>) rules) {
          if (!(o instanceof Map)) throw new IllegalArgumentException("each rule must be an object");
          Map<?, ?> r = (Map<?, ?>) o;
          if (!(r.get("match") instanceof String) || !(r.get("workflow") instanceof String)) {
            throw new IllegalArgumentException("each rule needs string \"match\" and \"workflow\"");
          }
          parsed.add(new Workflows.Rule(Pattern.compile((String) r.get("match")), (String) r.get("workflow")));
        }
        workflowRules = parsed;
        for (Workflows.Rule rule : parsed) declaredWorkflows.add(rule.workflow);
      } catch (RuntimeException e) {
        report("llm-otel: policy file {0}: workflow_rules are invalid ({1}); they are ignored", path, e.getMessage());
      }
    }
    Object declared = root.get("workflows");
    if (declared != null) {
      if (declared instanceof List) {
        for (Object w : (List<?>) declared) {
          if (w instanceof String) declaredWorkflows.add((String) w);
          else report("llm-otel: policy file {0}: \"workflows\" must list strings; {1} is ignored", path, w);
        }
      } else {
        report("llm-otel: policy file {0}: \"workflows\" must be an array of names; it is ignored", path);
      }
    }
  }

  private static boolean unpricedRefuses(String raw) {
    if ("refuse".equalsIgnoreCase(raw)) return true;
    if ("allow".equalsIgnoreCase(raw)) return false;
    throw new IllegalArgumentException("\"unpriced\" must be allow or refuse, not " + raw);
  }

  private interface SectionReader {
    void read(Map<?, ?> section);
  }

  private void section(String path, Map<?, ?> root, String name, SectionReader reader) {
    Object value = root.get(name);
    if (value == null) return;
    try {
      if (!(value instanceof Map)) throw new IllegalArgumentException("must be an object");
      reader.read((Map<?, ?>) value);
    } catch (RuntimeException e) {
      report("llm-otel: policy file {0}: \"{1}\" is invalid ({2}); that policy stays off", path, name, e.getMessage());
    }
  }

  private void applyProperties() {
    Long ms = propertyLong("timeout.ms");
    if (ms != null) timeoutMillis = ms;
    Long firstChunk = propertyLong("timeout.first-chunk-ms");
    if (firstChunk != null) firstChunkMillis = firstChunk;
    timeoutMode = propertyMode("timeout.mode", timeoutMode, timeoutMillis > 0 || firstChunkMillis > 0);
    Long maxTokens = propertyLong("input-tokens.max");
    if (maxTokens != null) maxInputTokens = maxTokens;
    inputTokensMode = propertyMode("input-tokens.mode", inputTokensMode,
        maxInputTokens > 0 || !maxInputTokensByModel.isEmpty());
    Double v;
    if ((v = propertyDouble("cost.per-minute-usd")) != null) processCaps.perMinute = v;
    if ((v = propertyDouble("cost.per-hour-usd")) != null) processCaps.perHour = v;
    if ((v = propertyDouble("cost.per-day-usd")) != null) processCaps.perDay = v;
    if ((v = propertyDouble("cost.per-trace-usd")) != null) perTraceUsd = v;
    costMode = propertyMode("cost.mode", costMode, processCaps.any() || perTraceUsd > 0 || !workflowCaps.isEmpty());
    Long calls = propertyLong("rate-limit.calls-per-minute");
    if (calls != null) callsPerMinute = calls;
    rateLimitMode = propertyMode("rate-limit.mode", rateLimitMode,
        callsPerMinute > 0 || !callsPerMinuteByModel.isEmpty());
    Long repeats = propertyLong("loop-guard.max-repeats");
    if (repeats != null) maxRepeats = repeats;
    loopGuardMode = propertyMode("loop-guard.mode", loopGuardMode, maxRepeats > 0);
    String unpriced = LlmOtelConfig.raw(PREFIX + "cost.unpriced");
    if (unpriced != null && !unpriced.isEmpty()) {
      try {
        unpricedRefused = unpricedRefuses(unpriced);
      } catch (IllegalArgumentException e) {
        report("llm-otel: invalid value ''{0}'' for {1} (expected allow or refuse); allow applies",
            unpriced, PREFIX + "cost.unpriced");
      }
    }
    Long outputTokens = propertyLong("cost.estimated-output-tokens");
    if (outputTokens != null) estimatedOutputTokens = outputTokens;
    trustRemoteBaggage = LlmOtelConfig.readBoolean(PREFIX + "baggage.trust-remote", false);
    // No limit to set: the declared structure is the limit, so the policy is on whenever its mode is.
    outputValidationMode = propertyMode("output-validation.mode", outputValidationMode, true);
    String threshold = LlmOtelConfig.raw(PREFIX + "escalation.confidence-threshold");
    if (threshold != null && !threshold.isEmpty()) {
      try {
        confidenceThreshold = fraction(threshold);
      } catch (IllegalArgumentException e) {
        report("llm-otel: invalid value ''{0}'' for {1} (expected a number from 0 to 1); {2} applies",
            threshold, PREFIX + "escalation.confidence-threshold", confidenceThreshold);
      }
    }
  }

  /** A number from 0 to 1, given as a JSON number or as text. */
  private static double fraction(Object raw) {
    double v;
    try {
      v = raw instanceof Number ? ((Number) raw).doubleValue() : Double.parseDouble(raw.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number from 0 to 1, not " + raw);
    }
    if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("must be a number from 0 to 1, not " + raw);
    return v;
  }

  private static Mode propertyMode(String key, Mode current, boolean hasLimit) {
    String raw = LlmOtelConfig.raw(PREFIX + key);
    if (raw == null || raw.isEmpty()) return current;
    Mode mode;
    try {
      mode = Mode.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      ConfigProblems.report(logger, "llm-otel: invalid value ''{0}'' for {1} (expected off, monitor or enforce); "
          + "that policy stays off", new Object[] {raw, PREFIX + key});
      return Mode.OFF;
    }
    if (mode != Mode.OFF && !hasLimit) {
      ConfigProblems.report(logger, "llm-otel: {0} is {1} but no limit is set; that policy stays off",
          new Object[] {PREFIX + key, raw});
      return Mode.OFF;
    }
    return mode;
  }

  private static Long propertyLong(String key) {
    String raw = LlmOtelConfig.raw(PREFIX + key);
    if (raw == null || raw.isEmpty()) return null;
    try {
      long v = Long.parseLong(raw);
      if (v > 0) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    ConfigProblems.report(logger, "llm-otel: invalid value ''{0}'' for {1} (expected a whole number > 0); ignored",
        new Object[] {raw, PREFIX + key});
    return null;
  }

  private static Double propertyDouble(String key) {
    String raw = LlmOtelConfig.raw(PREFIX + key);
    if (raw == null || raw.isEmpty()) return null;
    try {
      double v = Double.parseDouble(raw);
      if (v > 0 && !Double.isInfinite(v)) return v;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    ConfigProblems.report(logger, "llm-otel: invalid value ''{0}'' for {1} (expected a number > 0); ignored",
        new Object[] {raw, PREFIX + key});
    return null;
  }

  private static Mode mode(Map<?, ?> m) {
    Object v = m.get("mode");
    if (v == null) return Mode.MONITOR;
    try {
      return Mode.valueOf(v.toString().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"mode\" must be off, monitor or enforce, not " + v);
    }
  }

  private static void readCaps(Map<?, ?> m, Caps caps) {
    caps.perMinute = optionalDouble(m, "per_minute_usd");
    caps.perHour = optionalDouble(m, "per_hour_usd");
    caps.perDay = optionalDouble(m, "per_day_usd");
  }

  private static double optionalDouble(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null) return 0;
    if (!(v instanceof Double) || (Double) v <= 0) throw new IllegalArgumentException("\"" + key + "\" must be > 0");
    return (Double) v;
  }

  private static long optionalLong(Map<?, ?> m, String key) {
    return m.get(key) == null ? 0 : positiveLong(m, key);
  }

  private static long positiveLong(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Double) || (Double) v < 1 || (Double) v != Math.rint((Double) v)) {
      throw new IllegalArgumentException("\"" + key + "\" must be a whole number > 0");
    }
    return ((Double) v).longValue();
  }

  private static Map<String, Long> longMap(Map<?, ?> m, String key) {
    Object v = m.get(key);
    Map<String, Long> out = new HashMap<>();
    if (v == null) return out;
    if (!(v instanceof Map)) throw new IllegalArgumentException("\"" + key + "\" must be an object");
    for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
      Map<String, Object> one = new HashMap<>();
      one.put("value", e.getValue());
      out.put(e.getKey().toString(), positiveLong(one, "value"));
    }
    return out;
  }
}
