package dev.llmotel.core.tools;

import dev.llmotel.core.evaluation.Evaluator;
import dev.llmotel.core.evaluation.Evaluators;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * {@code evaluate RECORDING --judge-base-url URL --judge-model MODEL [options] --out DIR}: scores every
 * interaction of a record-mode file with the evaluators of online evaluation, prints a table per
 * workflow, prompt version and evaluator, writes the JSON and HTML reports, and with a baseline report
 * fails (exit 1) when an evaluator's mean score for a workflow dropped by more than the allowed drop.
 */
final class EvaluateCommand {
  static final int EXIT_OK = 0;
  static final int EXIT_REGRESSION = 1;
  static final int EXIT_USAGE = 2;
  static final int EXIT_NOTHING_SCORED = 3;

  static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";
  static final int DEFAULT_CONCURRENCY = 4;
  static final int DEFAULT_TIMEOUT_MS = 30_000;
  static final double DEFAULT_MAX_DROP = 0.1;

  static final String USAGE = String.join("\n",
      "evaluate RECORDING.jsonl --judge-base-url URL --judge-model MODEL --out DIR [options]",
      "  Scores every interaction of a record-mode file (otel.instrumentation.llm-otel.record.file) with an",
      "  LLM judge, by the evaluators of online evaluation; prints a table per workflow, prompt version and",
      "  evaluator; writes DIR/" + EvaluationReport.JSON_FILE + " and DIR/" + EvaluationReport.HTML_FILE + ".",
      "  --judge-base-url URL      an OpenAI-compatible endpoint (URL/chat/completions), e.g. https://api.openai.com/v1",
      "  --judge-model MODEL       the judge's model",
      "  --judge-api-key-env NAME  the environment variable holding the judge's API key (default: OPENAI_API_KEY",
      "                            when it is set; none otherwise). The key is sent as a bearer token, never printed.",
      "  --evaluators a,b          evaluators to run (default: relevance, groundedness, instruction_following and",
      "                            every evaluator of --rubrics)",
      "  --rubrics FILE            a rubric file: your own evaluators (docs/evaluation.md)",
      "  --concurrency N           judge calls at a time (default " + DEFAULT_CONCURRENCY + ", 1 to 64)",
      "  --timeout-ms N            per judge call (default " + DEFAULT_TIMEOUT_MS + ", 100 to 600000)",
      "  --baseline REPORT.json    a previous run's " + EvaluationReport.JSON_FILE + " to compare with, per workflow",
      "                            and evaluator",
      "  --max-drop X              the largest drop of a mean score allowed against the baseline (default "
          + DEFAULT_MAX_DROP + ", 0 to 1)",
      "  Exit codes: 0 scored (and no regression against the baseline); 1 a mean score dropped by more than",
      "  --max-drop against the baseline; 2 usage error, unreadable input, or nothing in the recording to score;",
      "  3 the judge failed for every call (nothing scored). Judge calls that fail while others score are",
      "  counted in the report by result (judge_error, judge_timeout, judge_invalid) and do not fail the run;",
      "  an evaluator with no score now but a baseline mean is reported as missing, not as a regression.");

  /** A bad command line or input: the message is printed and the exit code is 2. */
  static final class UsageError extends Exception {
    UsageError(String message) {
      super(message, null, false, false);
    }
  }

  /** The parsed command line. */
  static final class Options {
    String recording;
    String baseUrl;
    String model;
    String apiKeyEnv;
    String rubrics;
    List<String> evaluators;
    int concurrency = DEFAULT_CONCURRENCY;
    int timeoutMs = DEFAULT_TIMEOUT_MS;
    String baseline;
    double maxDrop = DEFAULT_MAX_DROP;
    String out;
  }

  private EvaluateCommand() {}

  static Options parse(String[] args) throws UsageError {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (o.recording != null) throw new UsageError("one recording only (got " + o.recording + " and " + a + ")");
        o.recording = a;
        continue;
      }
      String name = a;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      } else {
        if (i + 1 >= args.length) throw new UsageError(a + " needs a value");
        value = args[++i];
      }
      switch (name) {
        case "--judge-base-url": o.baseUrl = value; break;
        case "--judge-model": o.model = value; break;
        case "--judge-api-key-env": o.apiKeyEnv = value; break;
        case "--rubrics": o.rubrics = value; break;
        case "--evaluators":
          o.evaluators = new ArrayList<>();
          for (String n : value.split(",")) {
            if (!n.trim().isEmpty() && !o.evaluators.contains(n.trim())) o.evaluators.add(n.trim());
          }
          if (o.evaluators.isEmpty()) throw new UsageError("--evaluators names no evaluator");
          break;
        case "--concurrency": o.concurrency = (int) number(name, value, 1, 64, true); break;
        case "--timeout-ms": o.timeoutMs = (int) number(name, value, 100, 600_000, true); break;
        case "--baseline": o.baseline = value; break;
        case "--max-drop": o.maxDrop = number(name, value, 0, 1, false); break;
        case "--out": o.out = value; break;
        default: throw new UsageError("unknown option " + name);
      }
    }
    if (o.recording == null) throw new UsageError("no recording given");
    if (o.baseUrl == null || o.baseUrl.isEmpty()) throw new UsageError("--judge-base-url is required");
    if (!dev.llmotel.core.evaluation.EvaluationSettings.httpUrl(o.baseUrl)) throw new UsageError("--judge-base-url is not an http(s) URL");
    if (o.model == null || o.model.isEmpty()) throw new UsageError("--judge-model is required");
    if (o.out == null || o.out.isEmpty()) throw new UsageError("--out is required (the directory for the reports)");
    return o;
  }

  private static double number(String name, String value, double min, double max, boolean whole) throws UsageError {
    double v;
    try {
      v = whole ? Long.parseLong(value.trim()) : Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageError(name + " must be " + (whole ? "a whole number" : "a number") + ", not \"" + value + "\"");
    }
    if (!(v >= min && v <= max)) {
      throw new UsageError(name + " must be from " + fmt(min) + " to " + fmt(max) + ", not " + value);
    }
    return v;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** Runs the command; returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = parse(args);
    } catch (UsageError e) {
      err.println("llm-otel evaluate: " + e.getMessage());
      err.println("usage: java -jar llm-otel-extension.jar " + USAGE);
      return EXIT_USAGE;
    }
    try {
      return run(o, env, null, out, err);
    } catch (UsageError e) {
      err.println("llm-otel evaluate: " + e.getMessage());
      return EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("llm-otel evaluate: interrupted");
      return EXIT_USAGE;
    }
  }

  /** Runs with parsed options; {@code judge} replaces the HTTP judge when not null (tests). */
  static int run(Options o, Map<String, String> env, OfflineEvaluation.Judge judge, PrintStream out, PrintStream err)
      throws UsageError, InterruptedException {
    String apiKey = apiKey(o, env);
    Evaluators known = Evaluators.builtIn();
    List<String> defaults = new ArrayList<>(Arrays.asList(Evaluators.RELEVANCE, Evaluators.GROUNDEDNESS,
        Evaluators.INSTRUCTION_FOLLOWING));
    if (o.rubrics != null) {
      try {
        known = Evaluators.withRubrics(new String(Files.readAllBytes(Paths.get(o.rubrics)), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UsageError("cannot read the rubric file " + o.rubrics + " (" + e + ")");
      } catch (IllegalArgumentException e) {
        throw new UsageError("the rubric file " + o.rubrics + " is invalid: " + e.getMessage());
      }
      for (String n : known.names()) if (!defaults.contains(n)) defaults.add(n);
    }
    List<String> names = o.evaluators != null ? o.evaluators : defaults;
    List<Evaluator> chosen = new ArrayList<>();
    for (String n : names) {
      Evaluator e = known.get(n);
      if (e == null) {
        throw new UsageError("unknown evaluator \"" + n + "\" (known: " + String.join(", ", known.names())
            + (o.rubrics == null ? "; add your own with --rubrics" : "") + ")");
      }
      chosen.add(e);
    }

    List<Map<?, ?>> records;
    try {
      records = Transcript.readRecords(o.recording);
    } catch (IOException e) {
      throw new UsageError("cannot read the recording " + o.recording + " (" + e + ")");
    }
    Map<?, ?> baseline = null;
    if (o.baseline != null) {
      try {
        baseline = EvaluationReport.readBaseline(Paths.get(o.baseline));
      } catch (IOException e) {
        throw new UsageError("cannot read the baseline " + o.baseline + " (" + e + ")");
      } catch (IllegalArgumentException e) {
        throw new UsageError("the baseline " + o.baseline + " is not usable: " + e.getMessage());
      }
    }
    Path outDir = Paths.get(o.out);
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UsageError("cannot create the output directory " + o.out + " (" + e + ")");
    }
    if (!Files.isWritable(outDir)) throw new UsageError("cannot write to the output directory " + o.out);

    OfflineEvaluation evaluation = new OfflineEvaluation(known, names,
        judge != null ? judge : new OfflineJudge(o.baseUrl, o.model, apiKey, o.timeoutMs), o.concurrency);
    int[] nextTenth = {1};
    OfflineEvaluation.Outcome outcome = evaluation.run(records, (done, total) -> {
      synchronized (nextTenth) {
        if (total >= 20 && done * 10 >= nextTenth[0] * total) {
          err.println("llm-otel evaluate: " + done + " of " + total + " judge call(s) done");
          nextTenth[0] = done * 10 / total + 1;
        }
      }
    });
    if (outcome.results.isEmpty()) {
      throw new UsageError("nothing to evaluate in " + o.recording + ": " + outcome.records + " record(s), "
          + outcome.notScorable + " without a text answer to score, " + outcome.unreadable + " unreadable"
          + (outcome.judgeCalls > 0 ? ", " + outcome.judgeCalls + " judge call(s)" : "")
          + (outcome.evaluated == 0 && outcome.records > outcome.notScorable + outcome.unreadable + outcome.judgeCalls
              ? "; no interaction had what the evaluators " + names + " need" : ""));
    }

    EvaluationReport report = new EvaluationReport(o.recording, o.model, o.baseUrl, chosen, outcome, now());
    if (baseline != null) {
      report.baselineFile = o.baseline;
      report.maxDrop = o.maxDrop;
      report.comparisons = EvaluationReport.compare(baseline, outcome, o.maxDrop);
    }
    report.exitCode = outcome.scored() == 0 ? EXIT_NOTHING_SCORED
        : !report.regressions().isEmpty() ? EXIT_REGRESSION : EXIT_OK;

    print(report, out);
    Path json = outDir.resolve(EvaluationReport.JSON_FILE);
    Path html = outDir.resolve(EvaluationReport.HTML_FILE);
    try {
      report.writeJson(json);
      HtmlReport.write(report, html);
    } catch (IOException e) {
      throw new UsageError("cannot write the reports to " + o.out + " (" + e + ")");
    }
    out.println();
    out.println("Reports: " + json + " and " + html);
    if (outcome.failed() > 0 && report.exitCode != EXIT_NOTHING_SCORED) {
      out.println("WARNING: " + outcome.failed() + " of " + outcome.results.size() + " judge call(s) failed "
          + outcome.failures + "; they are counted, not scored");
    }
    if (report.comparisons != null) {
      int missing = 0;
      for (EvaluationReport.Comparison c : report.comparisons) if (EvaluationReport.MISSING.equals(c.status)) missing++;
      if (missing > 0) {
        out.println("WARNING: " + missing + " workflow and evaluator pair(s) scored in the baseline have no score now "
            + "(status missing)");
      }
    }
    switch (report.exitCode) {
      case EXIT_NOTHING_SCORED:
        out.println("NOTHING SCORED: every one of the " + outcome.results.size() + " judge call(s) failed "
            + outcome.failures + "; exit " + EXIT_NOTHING_SCORED);
        break;
      case EXIT_REGRESSION:
        for (EvaluationReport.Comparison c : report.regressions()) {
          out.println(String.format(Locale.ROOT, "REGRESSION: workflow %s, evaluator %s: mean %.3f, baseline %.3f, "
              + "dropped %.3f (more than --max-drop %.3f)", clean(c.workflow), clean(c.evaluator), c.mean,
              c.baselineMean, c.drop, o.maxDrop));
        }
        out.println(report.regressions().size() + " regression(s) against the baseline; exit " + EXIT_REGRESSION);
        break;
      default:
        out.println(baseline == null ? "OK: scored; no baseline to compare with"
            : "OK: no mean score dropped by more than " + String.format(Locale.ROOT, "%.3f", o.maxDrop)
                + " against the baseline");
    }
    return report.exitCode;
  }

  private static String apiKey(Options o, Map<String, String> env) throws UsageError {
    if (o.apiKeyEnv != null) {
      String key = env.get(o.apiKeyEnv);
      if (key == null || key.isEmpty()) {
        throw new UsageError("--judge-api-key-env names " + o.apiKeyEnv + ", which is not set");
      }
      return key;
    }
    String key = env.get(DEFAULT_API_KEY_ENV);
    return key == null || key.isEmpty() ? null : key;
  }

  private static String now() {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(new Date());
  }

  /** The tables: per workflow, prompt version and evaluator; per workflow and evaluator; against the baseline. */
  static void print(EvaluationReport report, PrintStream out) {
    OfflineEvaluation.Outcome o = report.outcome;
    out.println("Evaluated " + o.evaluated + " of " + o.records + " interaction(s) (" + o.notScorable
        + " without a text answer to score" + (o.judgeCalls > 0 ? ", " + o.judgeCalls + " judge call(s) skipped" : "")
        + (o.unreadable > 0 ? ", " + o.unreadable + " unreadable line(s)" : "") + ") with judge "
        + clean(report.judgeModel) + ": " + o.results.size() + " judge call(s), " + o.scored() + " scored, "
        + o.failed() + " failed" + (o.failures.isEmpty() ? "" : " " + o.failures) + ".");
    out.println();
    out.println("By workflow, prompt version and evaluator:");
    table(out, o.groups.values(), true);
    out.println();
    out.println("By workflow and evaluator (all prompt versions):");
    table(out, o.workflows.values(), false);
    if (report.comparisons != null) {
      out.println();
      out.println("Against the baseline " + report.baselineFile + " (max drop "
          + String.format(Locale.ROOT, "%.3f", report.maxDrop) + "):");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"WORKFLOW", "EVALUATOR", "BASELINE", "MEAN", "DROP", "STATUS"});
      for (EvaluationReport.Comparison c : report.comparisons) {
        rows.add(new String[] {clean(c.workflow), clean(c.evaluator), num(c.baselineMean) + " (n=" + c.baselineCount
            + ")", num(c.mean) + " (n=" + c.count + ")", num(c.drop),
            EvaluationReport.REGRESSION.equals(c.status) ? "REGRESSION" : c.status});
      }
      columns(out, rows, 2, true);
    }
  }

  private static void table(PrintStream out, Collection<OfflineEvaluation.Group> groups, boolean prompt) {
    List<String[]> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(Arrays.asList("WORKFLOW"));
    if (prompt) header.add("PROMPT VERSION");
    header.addAll(Arrays.asList("EVALUATOR", "N", "MEAN", "MIN", "P50", "MAX", "<THRESHOLD", "FAILED", "N/A"));
    rows.add(header.toArray(new String[0]));
    for (OfflineEvaluation.Group g : groups) {
      ScoreStats s = g.stats;
      List<String> row = new ArrayList<>();
      row.add(clean(g.key.workflow));
      if (prompt) row.add(clean(g.key.prompt()));
      row.addAll(Arrays.asList(clean(g.key.evaluator), String.valueOf(s.count()), num(s.mean()), num(s.min()),
          num(s.p50()), num(s.max()), String.valueOf(s.belowThreshold()), String.valueOf(s.failed()),
          String.valueOf(s.notApplicable)));
      rows.add(row.toArray(new String[0]));
    }
    columns(out, rows, prompt ? 3 : 2, false);
  }

  /**
   * Prints rows as aligned columns: the first {@code textColumns} left-aligned, the rest right-aligned but
   * for the last when {@code lastIsText}.
   */
  private static void columns(PrintStream out, List<String[]> rows, int textColumns, boolean lastIsText) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < r.length; i++) {
        if (i > 0) line.append("  ");
        String pad = repeat(' ', width[i] - r[i].length());
        line.append(i < textColumns || (lastIsText && i == r.length - 1) ? r[i] + pad : pad + r[i]);
      }
      out.println(line.toString().replaceAll("\\s+$", ""));
    }
  }

  private static String repeat(char c, int n) {
    StringBuilder b = new StringBuilder(Math.max(0, n));
    for (int i = 0; i < n; i++) b.append(c);
    return b.toString();
  }

  private static String num(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** Text from the recording as a terminal shows it: no control characters (no escape sequences). */
  static String clean(String s) {
    if (s == null) return "-";
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
    }
    return b.toString();
  }
}
