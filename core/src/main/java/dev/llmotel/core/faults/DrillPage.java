package dev.llmotel.core.faults;

import java.util.Map;

/** The drill report as a page a person reads: one section per workflow, with and without faults side by side. */
final class DrillPage {
  private DrillPage() {}

  static String render(Map<String, Object> report) {
    StringBuilder b = new StringBuilder(4096);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .append("<title>llm-otel drill report</title><style>")
        .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
        .append("th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}th:first-child,td:first-child{text-align:left}")
        .append("h2{margin-top:2em}.faults{color:#a30}</style></head><body>\n");
    b.append("<h1>Drill report").append(report.get("drill") == null ? "" : ": " + esc(report.get("drill"))).append("</h1>\n");
    b.append("<p>Started ").append(new java.util.Date(((Number) report.get("started_ms")).longValue()))
        .append(", written ").append(new java.util.Date(((Number) report.get("written_ms")).longValue())).append(".</p>\n");
    Map<?, ?> workflows = (Map<?, ?>) report.get("workflows");
    if (workflows.isEmpty()) b.append("<p>No call, tool or agent run yet.</p>\n");
    for (Map.Entry<?, ?> e : workflows.entrySet()) {
      Map<?, ?> w = (Map<?, ?>) e.getValue();
      b.append("<h2>Workflow ").append(esc(e.getKey())).append("</h2>\n");
      faults(b, "Faults injected", (Map<?, ?>) w.get("faults"), true);
      faults(b, "Faults injected into other HTTP requests", (Map<?, ?>) w.get("request_faults"), false);
      table(b, "Agent runs", (Map<?, ?>) w.get("runs"), true);
      table(b, "LLM calls", (Map<?, ?>) w.get("calls"), false);
      table(b, "Tool executions", (Map<?, ?>) w.get("tools"), false);
    }
    return b.append("</body></html>\n").toString();
  }

  /** A line of fault kinds and counts; "none" for an empty one when {@code always}, else nothing. */
  private static void faults(StringBuilder b, String title, Map<?, ?> faults, boolean always) {
    if (faults == null || (faults.isEmpty() && !always)) return;
    b.append("<p class=\"faults\">").append(title).append(": ");
    if (faults.isEmpty()) b.append("none");
    boolean first = true;
    for (Map.Entry<?, ?> f : faults.entrySet()) {
      b.append(first ? "" : ", ").append(esc(f.getKey())).append(" &times; ").append(f.getValue());
      first = false;
    }
    b.append("</p>\n");
  }

  private static void table(StringBuilder b, String title, Map<?, ?> sides, boolean outcomes) {
    Map<?, ?> with = (Map<?, ?>) sides.get("with_faults");
    Map<?, ?> without = (Map<?, ?>) sides.get("without_faults");
    b.append("<table><caption>").append(title).append("</caption><tr><th></th><th>with faults</th><th>without faults</th></tr>\n");
    for (String[] row : new String[][] {{"count", "count"}, {"failed", "failed"}, {"retries", "retries"},
        {"mean latency (ms)", "mean_latency_ms"}, {"max latency (ms)", "max_latency_ms"}, {"mean cost (USD)", "mean_cost_usd"}}) {
      b.append("<tr><td>").append(row[0]).append("</td><td>").append(esc(with.get(row[1]))).append("</td><td>")
          .append(esc(without.get(row[1]))).append("</td></tr>\n");
    }
    if (outcomes) {
      for (String outcome : new String[] {DrillReport.ANSWERED, DrillReport.ESCALATED, DrillReport.FAILED, DrillReport.REFUSED}) {
        b.append("<tr><td>ended ").append(outcome).append("</td><td>").append(count(with, outcome)).append("</td><td>")
            .append(count(without, outcome)).append("</td></tr>\n");
      }
    }
    b.append("</table>\n");
  }

  private static Object count(Map<?, ?> side, String outcome) {
    Object v = ((Map<?, ?>) side.get("outcomes")).get(outcome);
    return v == null ? 0 : v;
  }

  static String esc(Object o) {
    return dev.llmotel.core.tools.HtmlReport.esc(String.valueOf(o));
  }
}
