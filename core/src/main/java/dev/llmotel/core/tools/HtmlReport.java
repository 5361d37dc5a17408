package dev.llmotel.core.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one self-contained HTML page: the summary, the comparison with the baseline, a table
 * and a chart per workflow and evaluator and per workflow, prompt version and evaluator (the score
 * distribution as an inline SVG bar chart: ten buckets of 0.1, the evaluator's threshold and the mean
 * marked), and the lowest-scored interactions with the judge's explanation. No external resource, no
 * script needed to read it: the charts are static SVG. One inline script only checks, after layout, that
 * every chart was drawn, and writes what it found on {@code <body>} ({@code data-charts},
 * {@code data-charts-drawn}, {@code data-bars-drawn}) for tests; the page's Content-Security-Policy allows
 * that script by its hash and nothing else. Every text from the recording or the judge is escaped.
 */
public final class HtmlReport {
  static final int LOWEST_SHOWN = 20;

  /** The self-check: counts the charts whose every non-empty bar has a rendered, non-zero height. */
  static final String SELF_CHECK = "(function(){var charts=document.querySelectorAll('svg.chart'),drawn=0,bars=0;"
      + "for(var i=0;i<charts.length;i++){var c=charts[i],box=c.getBoundingClientRect(),"
      + "rects=c.querySelectorAll('rect.bar'),want=0,got=0;"
      + "for(var j=0;j<rects.length;j++){if(+rects[j].getAttribute('data-count')>0){want++;"
      + "var b=rects[j].getBBox(),r=rects[j].getBoundingClientRect();if(b.height>0&&r.height>0&&r.width>0)got++;}}"
      + "bars+=got;if(box.width>0&&box.height>0&&want>0&&got===want)drawn++;}"
      + "document.body.setAttribute('data-charts',String(charts.length));"
      + "document.body.setAttribute('data-charts-drawn',String(drawn));"
      + "document.body.setAttribute('data-bars-drawn',String(bars));})();";

  private static final String STYLE = "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;"
      + "margin:24px;color:#1f2328;background:#fff}h1{font-size:22px}h2{font-size:18px;margin-top:32px}"
      + "h3{font-size:14px;margin:0 0 6px}table{border-collapse:collapse;margin:8px 0;font-size:13px}"
      + "th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}th{background:#f6f8fa}"
      + "td.num{text-align:right;font-variant-numeric:tabular-nums}.regression{background:#ffebe9;color:#82071e;"
      + "font-weight:600}.ok{color:#1a7f37}.warn{background:#fff8c5}.banner{padding:10px 14px;border-radius:6px;"
      + "font-weight:600;display:inline-block}.banner.pass{background:#dafbe1;color:#116329}.banner.fail{"
      + "background:#ffebe9;color:#82071e}.cards{display:flex;flex-wrap:wrap;gap:16px}.card{border:1px solid "
      + "#d0d7de;border-radius:6px;padding:10px;width:340px}.card p{margin:4px 0;font-size:12px;color:#57606a}"
      + "svg.chart{display:block}svg.chart text{font-size:10px;fill:#57606a}rect.bar{fill:#0969da}"
      + "rect.bar.low{fill:#cf222e}line.threshold{stroke:#cf222e;stroke-dasharray:4 3}line.mean{stroke:#1f2328;"
      + "stroke-width:2}code{font-size:12px}";

  private HtmlReport() {}

  static void write(EvaluationReport report, Path file) throws IOException {
    Files.write(file, render(report).getBytes(StandardCharsets.UTF_8));
  }

  static String render(EvaluationReport report) {
    OfflineEvaluation.Outcome o = report.outcome;
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        + "script-src '").append(sha256(SELF_CHECK)).append("'\">");
    h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.append("<title>llm-otel offline evaluation: ").append(esc(fileName(report.recording))).append("</title>");
    h.append("<style>").append(STYLE).append("</style></head><body>\n");
    h.append("<h1>llm-otel offline evaluation</h1>\n");
    boolean pass = report.exitCode == 0;
    h.append("<p class=\"banner ").append(pass ? "pass" : "fail").append("\" id=\"verdict\">")
        .append(esc(verdict(report))).append("</p>\n");
    h.append("<table><tbody>");
    row(h, "Recording", esc(report.recording));
    row(h, "Generated", esc(report.generatedAt));
    row(h, "Judge", esc(report.judgeModel) + " at " + esc(report.judgeBaseUrl));
    StringBuilder ev = new StringBuilder();
    for (dev.llmotel.core.evaluation.Evaluator e : report.evaluators) {
      if (ev.length() > 0) ev.append(", ");
      ev.append(esc(e.name)).append(" (threshold ").append(num(e.threshold)).append(')');
    }
    row(h, "Evaluators", ev.toString());
    row(h, "Interactions", o.records + " record(s): " + o.evaluated + " evaluated, " + o.notScorable
        + " without a text answer to score" + (o.judgeCalls > 0 ? ", " + o.judgeCalls + " judge call(s) skipped" : "")
        + (o.unreadable > 0 ? ", " + o.unreadable + " unreadable line(s)" : ""));
    StringBuilder calls = new StringBuilder();
    calls.append(o.results.size()).append(" judge call(s): ").append(o.scored()).append(" scored, ")
        .append(o.failed()).append(" failed");
    for (Map.Entry<String, Integer> f : o.failures.entrySet()) {
      calls.append(", ").append(esc(f.getKey())).append(' ').append(f.getValue());
    }
    calls.append("; judge tokens in ").append(o.judgeInputTokens).append(" / out ").append(o.judgeOutputTokens);
    row(h, "Judge calls", calls.toString());
    h.append("</tbody></table>\n");

    if (report.comparisons != null) {
      h.append("<h2>Against the baseline</h2>\n<p>Baseline <code>").append(esc(report.baselineFile))
          .append("</code>; a mean that drops by more than ").append(num(report.maxDrop))
          .append(" is a regression.</p>\n");
      h.append("<table id=\"baseline\"><thead><tr><th>Workflow</th><th>Evaluator</th><th>Baseline mean</th>"
          + "<th>Mean</th><th>Drop</th><th>Status</th></tr></thead><tbody>");
      for (EvaluationReport.Comparison c : report.comparisons) {
        String cls = EvaluationReport.REGRESSION.equals(c.status) ? "regression"
            : EvaluationReport.OK.equals(c.status) ? "ok" : "warn";
        h.append("<tr class=\"").append(cls).append("\"><td>").append(esc(c.workflow)).append("</td><td>")
            .append(esc(c.evaluator)).append("</td><td class=\"num\">").append(num(c.baselineMean))
            .append(" (n=").append(c.baselineCount).append(")</td><td class=\"num\">").append(num(c.mean))
            .append(" (n=").append(c.count).append(")</td><td class=\"num\">").append(num(c.drop))
            .append("</td><td>").append(esc(c.status)).append("</td></tr>");
      }
      h.append("</tbody></table>\n");
    }

    h.append("<h2>By workflow and evaluator</h2>\n");
    table(h, o.workflows.values(), false);
    cards(h, o.workflows.values(), "workflow");
    h.append("<h2>By workflow, prompt version and evaluator</h2>\n");
    table(h, o.groups.values(), true);
    cards(h, o.groups.values(), "group");

    List<OfflineEvaluation.Result> lowest = OfflineEvaluation.lowest(o.results, LOWEST_SHOWN);
    if (!lowest.isEmpty()) {
      h.append("<h2>Lowest scores</h2>\n<table id=\"lowest\"><thead><tr><th>Score</th><th>Evaluator</th>"
          + "<th>Workflow</th><th>Prompt</th><th>Trace / span</th><th>Label</th><th>Explanation</th></tr></thead><tbody>");
      for (OfflineEvaluation.Result r : lowest) {
        h.append("<tr><td class=\"num\">").append(num(r.verdict.score)).append("</td><td>").append(esc(r.key.evaluator))
            .append("</td><td>").append(esc(r.key.workflow)).append("</td><td>").append(esc(r.key.prompt()))
            .append("</td><td><code>").append(esc(r.traceId)).append(" / ").append(esc(r.spanId))
            .append("</code></td><td>").append(esc(r.verdict.label)).append("</td><td>")
            .append(esc(r.verdict.explanation)).append("</td></tr>");
      }
      h.append("</tbody></table>\n");
    }
    boolean anyFailure = false;
    for (OfflineEvaluation.Result r : o.results) anyFailure |= r.verdict.failure != null;
    if (anyFailure) {
      h.append("<h2>Judge failures</h2>\n<table id=\"failures\"><thead><tr><th>Result</th><th>Evaluator</th>"
          + "<th>Workflow</th><th>Trace / span</th><th>Why</th></tr></thead><tbody>");
      int shown = 0;
      for (OfflineEvaluation.Result r : o.results) {
        if (r.verdict.failure == null) continue;
        if (shown++ == LOWEST_SHOWN) break;
        h.append("<tr><td>").append(esc(r.verdict.failure)).append("</td><td>").append(esc(r.key.evaluator))
            .append("</td><td>").append(esc(r.key.workflow)).append("</td><td><code>").append(esc(r.traceId))
            .append(" / ").append(esc(r.spanId)).append("</code></td><td>").append(esc(r.verdict.failureMessage))
            .append("</td></tr>");
      }
      h.append("</tbody></table>\n");
    }
    h.append("<script>").append(SELF_CHECK).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String verdict(EvaluationReport report) {
    switch (report.exitCode) {
      case EvaluateCommand.EXIT_OK:
        return report.comparisons == null ? "Scored: no baseline to compare with"
            : "Passed: no mean dropped by more than " + num(report.maxDrop);
      case EvaluateCommand.EXIT_REGRESSION:
        return "Regression: " + report.regressions().size() + " mean(s) dropped by more than " + num(report.maxDrop);
      case EvaluateCommand.EXIT_NOTHING_SCORED:
        return "Nothing scored: every judge call failed";
      default:
        return "Exit code " + report.exitCode;
    }
  }

  private static void row(StringBuilder h, String name, String html) {
    h.append("<tr><th>").append(name).append("</th><td>").append(html).append("</td></tr>");
  }

  private static void table(StringBuilder h, java.util.Collection<OfflineEvaluation.Group> groups, boolean prompt) {
    h.append("<table><thead><tr><th>Workflow</th>");
    if (prompt) h.append("<th>Prompt version</th>");
    h.append("<th>Evaluator</th><th>N</th><th>Mean</th><th>Min</th><th>P50</th><th>Max</th><th>Below threshold</th>"
        + "<th>Failed</th><th>Not applicable</th></tr></thead><tbody>");
    for (OfflineEvaluation.Group g : groups) {
      ScoreStats s = g.stats;
      h.append("<tr><td>").append(esc(g.key.workflow)).append("</td>");
      if (prompt) h.append("<td>").append(esc(g.key.prompt())).append("</td>");
      h.append("<td>").append(esc(g.key.evaluator)).append("</td><td class=\"num\">").append(s.count())
          .append("</td><td class=\"num\">").append(num(s.mean())).append("</td><td class=\"num\">").append(num(s.min()))
          .append("</td><td class=\"num\">").append(num(s.p50())).append("</td><td class=\"num\">").append(num(s.max()))
          .append("</td><td class=\"num\">").append(s.belowThreshold()).append("</td><td class=\"num\">")
          .append(s.failed()).append("</td><td class=\"num\">").append(s.notApplicable).append("</td></tr>");
    }
    h.append("</tbody></table>\n");
  }

  private static void cards(StringBuilder h, java.util.Collection<OfflineEvaluation.Group> groups, String kind) {
    h.append("<div class=\"cards\">");
    for (OfflineEvaluation.Group g : groups) {
      ScoreStats s = g.stats;
      h.append("<div class=\"card\"><h3>").append(esc(g.key.workflow));
      if (g.key.prompt() != null) h.append(" &middot; ").append(esc(g.key.prompt()));
      h.append(" &middot; ").append(esc(g.key.evaluator)).append("</h3>");
      if (s.count() == 0) {
        h.append("<p>No score").append(s.failed() > 0 ? ": " + s.failed() + " judge call(s) failed" : "")
            .append(s.notApplicable > 0 ? " (" + s.notApplicable + " not applicable)" : "").append("</p>");
      } else {
        chart(h, s, g.threshold, kind);
        h.append("<p>n=").append(s.count()).append(", mean ").append(num(s.mean())).append(", p50 ").append(num(s.p50()))
            .append(", threshold ").append(num(g.threshold));
        if (s.failed() > 0) h.append(", ").append(s.failed()).append(" failed");
        h.append("</p>");
      }
      h.append("</div>");
    }
    h.append("</div>\n");
  }

  static final int WIDTH = 320;
  static final int HEIGHT = 150;
  private static final int LEFT = 28;
  private static final int BOTTOM = 120;
  private static final int PLOT_HEIGHT = 100;
  private static final int BAR_STEP = 28;
  private static final int BAR_WIDTH = 24;

  /** The distribution of one group: a bar per bucket, its count above it, the threshold and the mean as lines. */
  private static void chart(StringBuilder h, ScoreStats s, double threshold, String kind) {
    int[] histogram = s.histogram();
    int highest = 1;
    for (int n : histogram) highest = Math.max(highest, n);
    h.append("<svg class=\"chart ").append(kind).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" role=\"img\" aria-label=\"score distribution\">");
    h.append("<line x1=\"").append(LEFT - 2).append("\" y1=\"").append(BOTTOM).append("\" x2=\"")
        .append(LEFT + ScoreStats.BUCKETS * BAR_STEP).append("\" y2=\"").append(BOTTOM)
        .append("\" stroke=\"#8c959f\"/>");
    for (int i = 0; i < ScoreStats.BUCKETS; i++) {
      int n = histogram[i];
      int height = n == 0 ? 0 : Math.max(2, (int) Math.round((double) n / highest * PLOT_HEIGHT));
      int x = LEFT + i * BAR_STEP + (BAR_STEP - BAR_WIDTH) / 2;
      boolean low = (i + 1) / 10.0 <= threshold + EvaluationReport.EPSILON;
      h.append("<rect class=\"bar").append(low ? " low" : "").append("\" data-count=\"").append(n)
          .append("\" x=\"").append(x).append("\" y=\"").append(BOTTOM - height).append("\" width=\"")
          .append(BAR_WIDTH).append("\" height=\"").append(height).append("\"><title>")
          .append(String.format(Locale.ROOT, "%.1f-%.1f: %d", i / 10.0, (i + 1) / 10.0, n)).append("</title></rect>");
      if (n > 0) {
        h.append("<text x=\"").append(x + BAR_WIDTH / 2).append("\" y=\"").append(BOTTOM - height - 3)
            .append("\" text-anchor=\"middle\">").append(n).append("</text>");
      }
    }
    for (int i = 0; i <= ScoreStats.BUCKETS; i += 5) {
      h.append("<text x=\"").append(LEFT + i * BAR_STEP).append("\" y=\"").append(BOTTOM + 14)
          .append("\" text-anchor=\"middle\">").append(i == 0 ? "0" : i == 5 ? "0.5" : "1").append("</text>");
    }
    double tx = LEFT + threshold * ScoreStats.BUCKETS * BAR_STEP;
    h.append("<line class=\"threshold\" x1=\"").append(num(tx)).append("\" y1=\"").append(BOTTOM - PLOT_HEIGHT - 8)
        .append("\" x2=\"").append(num(tx)).append("\" y2=\"").append(BOTTOM).append("\"><title>threshold ")
        .append(num(threshold)).append("</title></line>");
    double mx = LEFT + s.mean() * ScoreStats.BUCKETS * BAR_STEP;
    h.append("<line class=\"mean\" x1=\"").append(num(mx)).append("\" y1=\"").append(BOTTOM + 2).append("\" x2=\"")
        .append(num(mx)).append("\" y2=\"").append(BOTTOM + 20).append("\"><title>mean ").append(num(s.mean()))
        .append("</title></line>");
    h.append("<text x=\"").append(LEFT + ScoreStats.BUCKETS * BAR_STEP).append("\" y=\"").append(BOTTOM + 28)
        .append("\" text-anchor=\"end\">score (mean marked, threshold dashed)</text>");
    h.append("</svg>");
  }

  /** A number as the report shows it: three decimals, trailing zeros kept; a dash for none. */
  static String num(Double v) {
    return v == null ? "&ndash;" : String.format(Locale.ROOT, "%.3f", v);
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Text for HTML content and attribute values (the drill report's page uses the same). */
  public static String esc(String s) {
    if (s == null) return "&ndash;";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&': b.append("&amp;"); break;
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '"': b.append("&quot;"); break;
        case '\'': b.append("&#39;"); break;
        default:
          if (c < 0x20 && c != '\n' && c != '\t') {
            b.append(' ');
          } else {
            b.append(c);
          }
      }
    }
    return b.toString();
  }

  private static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash < 0 ? path : path.substring(slash + 1);
  }

  /** The CSP source of an inline script: 'sha256-BASE64'. */
  static String sha256(String script) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
