package dev.llmotel.core.tools;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmOtelVersion;
import dev.llmotel.core.evaluation.Evaluator;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offline evaluation's report: what was run, every judge result, the aggregates, and the
 * comparison with a baseline report; written as {@value #JSON_FILE} (read back as a later run's
 * baseline) and drawn as {@value #HTML_FILE} by {@link HtmlReport}. Numbers are rounded to six decimals.
 */
final class EvaluationReport {
  static final String FORMAT = "llm-otel-evaluation-report";
  static final int VERSION = 1;
  static final String JSON_FILE = "evaluation-report.json";
  static final String HTML_FILE = "evaluation-report.html";
  /** A drop is a regression when it exceeds the allowed drop by more than this (binary fractions aside). */
  static final double EPSILON = 1e-9;

  /** The status of one workflow and evaluator against the baseline. */
  static final String OK = "ok";
  static final String REGRESSION = "regression";
  /** Scored now, not in the baseline (or not scored there). */
  static final String NEW = "new";
  /** Scored in the baseline, not now (absent from the recording, or every judge call failed). */
  static final String MISSING = "missing";

  final String recording;
  final String judgeModel;
  final String judgeBaseUrl;
  final List<Evaluator> evaluators;
  final OfflineEvaluation.Outcome outcome;
  final String generatedAt;
  String baselineFile;
  double maxDrop;
  /** Null without a baseline. */
  List<Comparison> comparisons;
  int exitCode;

  EvaluationReport(String recording, String judgeModel, String judgeBaseUrl, List<Evaluator> evaluators,
      OfflineEvaluation.Outcome outcome, String generatedAt) {
    this.recording = recording;
    this.judgeModel = judgeModel;
    this.judgeBaseUrl = safeUrl(judgeBaseUrl);
    this.evaluators = evaluators;
    this.outcome = outcome;
    this.generatedAt = generatedAt;
  }

  /** One workflow and evaluator, now and in the baseline. */
  static final class Comparison {
    final String workflow;
    final String evaluator;
    final Double baselineMean;
    final int baselineCount;
    final Double mean;
    final int count;
    /** Baseline mean minus mean (positive: worse), or null when either is missing. */
    final Double drop;
    final String status;

    Comparison(String workflow, String evaluator, Double baselineMean, int baselineCount, Double mean, int count,
        double maxDrop) {
      this.workflow = workflow;
      this.evaluator = evaluator;
      this.baselineMean = baselineMean;
      this.baselineCount = baselineCount;
      this.mean = mean;
      this.count = count;
      if (baselineMean == null) {
        drop = null;
        status = NEW;
      } else if (mean == null) {
        drop = null;
        status = MISSING;
      } else {
        drop = round(baselineMean - mean);
        status = baselineMean - mean > maxDrop + EPSILON ? REGRESSION : OK;
      }
    }
  }

  /**
   * The current per-workflow means against a baseline report's: a regression where a mean dropped by
   * more than {@code maxDrop}. Rows in baseline order, then the new ones. Means are compared as the
   * reports write them (six decimals), so what is printed is what is compared.
   */
  static List<Comparison> compare(Map<?, ?> baseline, OfflineEvaluation.Outcome outcome, double maxDrop) {
    Map<String, Object[]> current = new LinkedHashMap<>();
    for (OfflineEvaluation.Group g : outcome.workflows.values()) {
      Double mean = g.stats.mean();
      current.put(g.key.workflow + '\u0000' + g.key.evaluator,
          new Object[] {g.key.workflow, g.key.evaluator, mean == null ? null : round(mean), g.stats.count()});
    }
    List<Comparison> out = new ArrayList<>();
    for (Object o : (List<?>) baseline.get("workflows")) {
      Map<?, ?> b = (Map<?, ?>) o;
      String workflow = (String) b.get("workflow");
      String evaluator = (String) b.get("evaluator");
      Double baselineMean = b.get("mean") instanceof Number ? round(((Number) b.get("mean")).doubleValue()) : null;
      int baselineCount = b.get("count") instanceof Number ? ((Number) b.get("count")).intValue() : 0;
      Object[] now = current.remove(workflow + '\u0000' + evaluator);
      if (baselineMean == null && (now == null || now[2] == null)) continue; // no score on either side
      out.add(new Comparison(workflow, evaluator, baselineMean, baselineCount, now == null ? null : (Double) now[2],
          now == null ? 0 : (Integer) now[3], maxDrop));
    }
    for (Object[] now : current.values()) {
      if (now[2] == null) continue;
      out.add(new Comparison((String) now[0], (String) now[1], null, 0, (Double) now[2], (Integer) now[3], maxDrop));
    }
    return out;
  }

  List<Comparison> regressions() {
    List<Comparison> out = new ArrayList<>();
    if (comparisons != null) {
      for (Comparison c : comparisons) if (REGRESSION.equals(c.status)) out.add(c);
    }
    return out;
  }

  /**
   * A baseline report read back; throws IOException when the file cannot be read and
   * IllegalArgumentException when it is not an evaluation report of a version this one reads.
   */
  static Map<?, ?> readBaseline(Path file) throws IOException {
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("it is not JSON (" + e.getMessage() + ")");
    }
    if (!(parsed instanceof Map) || !FORMAT.equals(((Map<?, ?>) parsed).get("format"))) {
      throw new IllegalArgumentException("it is not an llm-otel evaluation report (no \"format\": \"" + FORMAT + "\")");
    }
    Map<?, ?> m = (Map<?, ?>) parsed;
    if (!(m.get("version") instanceof Number) || ((Number) m.get("version")).intValue() != VERSION) {
      throw new IllegalArgumentException("its version " + m.get("version") + " is not " + VERSION);
    }
    if (!(m.get("workflows") instanceof List)) throw new IllegalArgumentException("it has no \"workflows\" list");
    for (Object o : (List<?>) m.get("workflows")) {
      if (!(o instanceof Map) || !(((Map<?, ?>) o).get("workflow") instanceof String)
          || !(((Map<?, ?>) o).get("evaluator") instanceof String)) {
        throw new IllegalArgumentException("an entry of \"workflows\" has no workflow or evaluator");
      }
      Object mean = ((Map<?, ?>) o).get("mean");
      if (mean != null && !(mean instanceof Number)) throw new IllegalArgumentException("a \"mean\" is not a number");
    }
    return m;
  }

  /** The report as JSON values. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", (long) VERSION);
    m.put("llm_otel_version", LlmOtelVersion.VERSION);
    m.put("generated_at", generatedAt);
    m.put("recording", recording);
    Map<String, Object> judge = new LinkedHashMap<>();
    judge.put("model", judgeModel);
    judge.put("base_url", judgeBaseUrl);
    m.put("judge", judge);
    List<Object> evaluatorList = new ArrayList<>();
    for (Evaluator e : evaluators) {
      Map<String, Object> ev = new LinkedHashMap<>();
      ev.put("name", e.name);
      ev.put("threshold", e.threshold);
      ev.put("needs", e.needs.name().toLowerCase(Locale.ROOT));
      evaluatorList.add(ev);
    }
    m.put("evaluators", evaluatorList);
    Map<String, Object> interactions = new LinkedHashMap<>();
    interactions.put("records", (long) outcome.records);
    interactions.put("evaluated", (long) outcome.evaluated);
    interactions.put("not_scorable", (long) outcome.notScorable);
    interactions.put("judge_calls_recorded", (long) outcome.judgeCalls);
    interactions.put("unreadable", (long) outcome.unreadable);
    m.put("interactions", interactions);
    Map<String, Object> calls = new LinkedHashMap<>();
    calls.put("total", (long) outcome.results.size());
    calls.put("scored", (long) outcome.scored());
    calls.put("failed", (long) outcome.failed());
    calls.put("failures", counts(outcome.failures));
    calls.put("input_tokens", outcome.judgeInputTokens);
    calls.put("output_tokens", outcome.judgeOutputTokens);
    m.put("judge_calls", calls);
    List<Object> groups = new ArrayList<>();
    for (OfflineEvaluation.Group g : outcome.groups.values()) groups.add(group(g, true));
    m.put("groups", groups);
    List<Object> workflows = new ArrayList<>();
    for (OfflineEvaluation.Group g : outcome.workflows.values()) workflows.add(group(g, false));
    m.put("workflows", workflows);
    if (comparisons != null) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("file", baselineFile);
      b.put("max_drop", maxDrop);
      List<Object> rows = new ArrayList<>();
      for (Comparison c : comparisons) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("workflow", c.workflow);
        row.put("evaluator", c.evaluator);
        row.put("baseline_mean", c.baselineMean);
        row.put("baseline_count", (long) c.baselineCount);
        row.put("mean", c.mean);
        row.put("count", (long) c.count);
        row.put("drop", c.drop);
        row.put("status", c.status);
        rows.add(row);
      }
      b.put("comparisons", rows);
      b.put("regressions", (long) regressions().size());
      m.put("baseline", b);
    }
    List<Object> results = new ArrayList<>();
    for (OfflineEvaluation.Result r : outcome.results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("line", (long) r.line);
      row.put("trace_id", r.traceId);
      row.put("span_id", r.spanId);
      row.put("workflow", r.key.workflow);
      if (r.key.promptName != null) row.put("prompt_name", r.key.promptName);
      row.put("prompt_version", r.key.promptVersion);
      row.put("evaluator", r.key.evaluator);
      if (r.verdict.score != null) {
        row.put("score", round(r.verdict.score));
        row.put("label", r.verdict.label);
        row.put("explanation", r.verdict.explanation);
      } else {
        row.put("result", r.verdict.failure);
        row.put("error", r.verdict.failureMessage);
      }
      results.add(row);
    }
    m.put("results", results);
    m.put("exit_code", (long) exitCode);
    return m;
  }

  private static Map<String, Object> group(OfflineEvaluation.Group g, boolean withPrompt) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workflow", g.key.workflow);
    if (withPrompt) {
      m.put("prompt_name", g.key.promptName);
      m.put("prompt_version", g.key.promptVersion);
    }
    m.put("evaluator", g.key.evaluator);
    m.put("threshold", g.threshold);
    ScoreStats s = g.stats;
    m.put("count", (long) s.count());
    m.put("mean", round(s.mean()));
    m.put("min", round(s.min()));
    m.put("p50", round(s.p50()));
    m.put("max", round(s.max()));
    m.put("below_threshold", (long) s.belowThreshold());
    List<Object> histogram = new ArrayList<>();
    for (int n : s.histogram()) histogram.add((long) n);
    m.put("histogram", histogram);
    m.put("failed", (long) s.failed());
    m.put("failures", counts(s.failures()));
    m.put("not_applicable", (long) s.notApplicable);
    return m;
  }

  private static Map<String, Object> counts(Map<String, Integer> counts) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) m.put(e.getKey(), (long) e.getValue());
    return m;
  }

  static Double round(Double v) {
    return v == null ? null : Math.round(v * 1e6) / 1e6;
  }

  /** The judge's base URL without user info, query or fragment (no credential ever reaches a report). */
  static String safeUrl(String url) {
    try {
      URI u = new URI(url);
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
    } catch (Exception e) {
      return "(not shown)";
    }
  }

  void writeJson(Path file) throws IOException {
    Files.write(file, (Json.write(toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
