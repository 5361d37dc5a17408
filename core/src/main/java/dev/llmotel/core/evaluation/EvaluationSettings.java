package dev.llmotel.core.evaluation;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.governance.GovernanceFiles;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;

/**
 * Online evaluation's configuration, read once at first use: off unless a judge is configured
 * ({@code ...evaluation.judge.base-url} and {@code .judge.model}). A bad value is one log line and a
 * safe fallback: evaluation off for a bad judge, the default for a bad number, the built-in
 * evaluators for a bad rubric file.
 */
public final class EvaluationSettings {
  public static final String PREFIX = "otel.instrumentation.llm-otel.evaluation.";
  private static final Logger logger = Logger.getLogger(EvaluationSettings.class.getName());
  public static final double DEFAULT_SAMPLE_RATE = 0.1;

  public final boolean enabled;
  public final JudgeSettings judge;
  public final double sampleRate;
  public final List<String> evaluatorNames;
  public final Evaluators evaluators;
  public final int queueSize;
  public final int workers;

  private EvaluationSettings(boolean enabled, JudgeSettings judge, double sampleRate, List<String> evaluatorNames,
      Evaluators evaluators, int queueSize, int workers) {
    this.enabled = enabled;
    this.judge = judge;
    this.sampleRate = sampleRate;
    this.evaluatorNames = evaluatorNames;
    this.evaluators = evaluators;
    this.queueSize = queueSize;
    this.workers = workers;
  }

  /** Settings made in code (tests, tools): on, with this judge and these evaluators. */
  public static EvaluationSettings of(JudgeSettings judge, double sampleRate, List<String> evaluatorNames,
      Evaluators evaluators, int queueSize, int workers) {
    return new EvaluationSettings(true, judge, sampleRate, Collections.unmodifiableList(new ArrayList<>(evaluatorNames)),
        evaluators, queueSize, workers);
  }

  private static volatile EvaluationSettings loaded;

  public static EvaluationSettings get() {
    EvaluationSettings s = loaded;
    if (s == null) {
      synchronized (EvaluationSettings.class) {
        s = loaded;
        if (s == null) {
          s = load();
          loaded = s;
        }
      }
    }
    return s;
  }

  static EvaluationSettings load() {
    String baseUrl = LlmOtelConfig.raw(PREFIX + "judge.base-url");
    String model = LlmOtelConfig.raw(PREFIX + "judge.model");
    Evaluators evaluators = Evaluators.builtIn();
    String rubrics = LlmOtelConfig.raw(PREFIX + "rubrics");
    if (rubrics != null && !rubrics.isEmpty()) {
      try {
        evaluators = Evaluators.withRubrics(GovernanceFiles.read(rubrics));
      } catch (Exception e) {
        ConfigProblems.report(logger, "llm-otel: rubric file {0} is invalid ({1}); the built-in evaluators only",
            rubrics, e.getMessage());
      }
    }
    List<String> names = new ArrayList<>();
    String listed = LlmOtelConfig.raw(PREFIX + "evaluators");
    if (listed == null || listed.isEmpty()) {
      names.addAll(Arrays.asList(Evaluators.RELEVANCE, Evaluators.GROUNDEDNESS, Evaluators.INSTRUCTION_FOLLOWING));
    } else {
      for (String n : listed.split(",")) {
        String name = n.trim();
        if (name.isEmpty()) continue;
        if (evaluators.get(name) == null) {
          ConfigProblems.report(logger, "llm-otel: {0}evaluators names an unknown evaluator \"{1}\"; it is skipped "
              + "(built in: relevance, groundedness, instruction_following; others from {0}rubrics)", PREFIX, name);
        } else {
          names.add(name);
        }
      }
    }
    double rate = LlmOtelConfig.readDouble(PREFIX + "sample-rate", DEFAULT_SAMPLE_RATE, 0, 1);
    long timeout = LlmOtelConfig.readInt(PREFIX + "judge.timeout-ms", 30_000, 100, 600_000);
    double perHour = LlmOtelConfig.readDouble(PREFIX + "budget.per-hour-usd", 0, 0, 1e9);
    double perDay = LlmOtelConfig.readDouble(PREFIX + "budget.per-day-usd", 0, 0, 1e9);
    int queue = LlmOtelConfig.readInt(PREFIX + "queue-size", 256, 1, 100_000);
    int workers = LlmOtelConfig.readInt(PREFIX + "workers", 1, 1, 8);
    String key = LlmOtelConfig.raw(PREFIX + "judge.api-key");
    boolean enabled = false;
    if (baseUrl != null && !baseUrl.isEmpty()) {
      if (model == null || model.isEmpty()) {
        ConfigProblems.report(logger, "llm-otel: {0}judge.base-url is set but {0}judge.model is not; evaluation stays off", PREFIX);
      } else if (!httpUrl(baseUrl)) {
        ConfigProblems.report(logger, "llm-otel: {0}judge.base-url \"{1}\" is not an http(s) URL; evaluation stays off",
            PREFIX, baseUrl);
      } else {
        enabled = true;
        ConfigProblems.info(logger, "llm-otel: online evaluation on: judge {0} at {1}, sample rate {2}, evaluators {3}",
            model, baseUrl, rate, names);
      }
    }
    JudgeSettings judge = new JudgeSettings(baseUrl, model, key, timeout, perHour, perDay);
    return new EvaluationSettings(enabled, judge, rate, Collections.unmodifiableList(names), evaluators, queue, workers);
  }

  /** Whether the text is an absolute http(s) URL with a host: a judge's base URL. */
  public static boolean httpUrl(String s) {
    try {
      URI u = new URI(s);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }
}
