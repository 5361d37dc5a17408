package dev.llmotel.testkit.otlp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders received spans as an indented tree a person can read:
 *
 * <pre>
 * trace 4bf92f3577b34da6a3ce929d0e0e4736
 * └─ agent-run (INTERNAL) 812 ms
 *    ├─ chat gpt-4o-mini (CLIENT) 120 ms  model gpt-4o-mini -&gt; gpt-4o-mini-2024-07-18  tokens in 25 / out 12  finish tool_calls  retries 0
 *    │  └─ POST (CLIENT) 115 ms  http 200
 *    └─ execute_tool get_weather (INTERNAL) 3 ms
 * </pre>
 *
 * Children are sorted by start time; spans whose parent is not in the list are shown at top level.
 */
public final class TraceTreePrinter {
  static final String FAILED_ATTEMPT_EVENT = "llm_otel.attempt.failed";

  private final String tee;
  private final String elbow;
  private final String pipe;
  private final String blank = "   ";

  /** A printer using box-drawing characters. */
  public TraceTreePrinter() {
    this(false);
  }

  /** A printer using plain ASCII ({@code |-}, {@code `-}) when {@code ascii} is true. */
  public TraceTreePrinter(boolean ascii) {
    this.tee = ascii ? "|- " : "├─ ";
    this.elbow = ascii ? "`- " : "└─ ";
    this.pipe = ascii ? "|  " : "│  ";
  }

  /** Renders every trace in {@code spans}, grouped by trace id, oldest trace first. */
  public static String renderAll(List<ReceivedSpan> spans) {
    return new TraceTreePrinter().renderTraces(spans);
  }

  /** Like {@link #renderAll} with this printer's characters. */
  public String renderTraces(List<ReceivedSpan> spans) {
    Map<String, List<ReceivedSpan>> byTrace = new LinkedHashMap<>();
    for (ReceivedSpan s : spans) {
      byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
    }
    List<List<ReceivedSpan>> traces = new ArrayList<>(byTrace.values());
    traces.sort(Comparator.comparingLong(TraceTreePrinter::earliestStart));
    StringBuilder sb = new StringBuilder();
    for (List<ReceivedSpan> trace : traces) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(render(trace));
    }
    return sb.toString();
  }

  /** Renders the spans of one trace (if several trace ids are present, the first span's id is shown). */
  public String render(List<ReceivedSpan> traceSpans) {
    StringBuilder sb = new StringBuilder();
    if (traceSpans.isEmpty()) {
      return "(no spans)\n";
    }
    sb.append("trace ").append(traceSpans.get(0).traceId()).append('\n');

    Set<String> ids = new HashSet<>();
    for (ReceivedSpan s : traceSpans) {
      ids.add(s.spanId());
    }
    Map<String, List<ReceivedSpan>> childrenOf = new LinkedHashMap<>();
    List<ReceivedSpan> roots = new ArrayList<>();
    for (ReceivedSpan s : traceSpans) {
      if (s.parentSpanId().isEmpty() || !ids.contains(s.parentSpanId()) || s.parentSpanId().equals(s.spanId())) {
        roots.add(s);
      } else {
        childrenOf.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    Comparator<ReceivedSpan> byStart = Comparator.comparingLong(ReceivedSpan::startEpochNanos);
    roots.sort(byStart);
    for (List<ReceivedSpan> children : childrenOf.values()) {
      children.sort(byStart);
    }

    Set<ReceivedSpan> printed = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < roots.size(); i++) {
      printNode(sb, roots.get(i), "", i == roots.size() - 1, childrenOf, printed, ids);
    }
    // Spans caught in a parent cycle are unreachable from any root: show them anyway.
    List<ReceivedSpan> rest = new ArrayList<>();
    for (ReceivedSpan s : traceSpans) {
      if (!printed.contains(s)) {
        rest.add(s);
      }
    }
    rest.sort(byStart);
    for (int i = 0; i < rest.size(); i++) {
      if (!printed.contains(rest.get(i))) {
        printNode(sb, rest.get(i), "", i == rest.size() - 1, childrenOf, printed, ids);
      }
    }
    return sb.toString();
  }

  private void printNode(
      StringBuilder sb,
      ReceivedSpan span,
      String prefix,
      boolean last,
      Map<String, List<ReceivedSpan>> childrenOf,
      Set<ReceivedSpan> printed,
      Set<String> ids) {
    if (!printed.add(span)) {
      return;
    }
    sb.append(prefix).append(last ? elbow : tee).append(line(span));
    if (!span.parentSpanId().isEmpty() && !ids.contains(span.parentSpanId())) {
      sb.append("  (parent ").append(span.parentSpanId()).append(" not received)");
    }
    sb.append('\n');
    List<ReceivedSpan> children = childrenOf.getOrDefault(span.spanId(), Collections.emptyList());
    String childPrefix = prefix + (last ? blank : pipe);
    for (int i = 0; i < children.size(); i++) {
      printNode(sb, children.get(i), childPrefix, i == children.size() - 1, childrenOf, printed, ids);
    }
  }

  /** One span's line without tree decoration, e.g. {@code POST (CLIENT) 115 ms  http 200}. */
  public String line(ReceivedSpan s) {
    StringBuilder sb = new StringBuilder();
    sb.append(s.name()).append(" (").append(s.kind()).append(") ").append(duration(s.durationNanos()));

    boolean genAi = false;
    for (String key : s.attributes().keySet()) {
      if (key.startsWith("gen_ai.")) {
        genAi = true;
        break;
      }
    }
    if (genAi) {
      String req = s.attr("gen_ai.request.model");
      String resp = s.attr("gen_ai.response.model");
      if (req != null || resp != null) {
        sb.append("  model ");
        if (req != null && resp != null && !req.equals(resp)) {
          sb.append(req).append(" -> ").append(resp);
        } else {
          sb.append(req != null ? req : resp);
        }
      }
      Long in = s.longAttr("gen_ai.usage.input_tokens");
      Long out = s.longAttr("gen_ai.usage.output_tokens");
      if (in != null || out != null) {
        sb.append("  tokens in ").append(in == null ? "?" : in).append(" / out ").append(out == null ? "?" : out);
      }
      String finish = s.attr("gen_ai.response.finish_reasons");
      if (finish != null && !finish.isEmpty()) {
        sb.append("  finish ").append(finish);
      }
    }
    if (s.hasAttr("llm_otel.retry.count")) {
      sb.append("  retries ").append(s.attr("llm_otel.retry.count"));
    }
    Double cost = s.doubleAttr("llm_otel.cost.usd");
    if (cost != null) {
      sb.append("  cost $").append(formatCost(cost));
    }
    int failedAttempts = s.events(FAILED_ATTEMPT_EVENT).size();
    if (failedAttempts > 0) {
      sb.append("  failed attempts ").append(failedAttempts);
    }
    if (s.hasAttr("http.response.status_code")) {
      sb.append("  http ").append(s.attr("http.response.status_code"));
    }
    if (s.hasAttr("error.type")) {
      sb.append("  error ").append(s.attr("error.type"));
    }
    if ("ERROR".equals(s.statusCode())) {
      sb.append("  status ERROR");
      if (!s.statusMessage().isEmpty()) {
        sb.append(": ").append(s.statusMessage());
      }
    }
    return sb.toString();
  }

  static String duration(long nanos) {
    if (nanos < 0) {
      return "? ms";
    }
    if (nanos >= 1_000_000L) {
      return Math.round(nanos / 1_000_000.0) + " ms";
    }
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
  }

  private static String formatCost(double cost) {
    if (Double.isNaN(cost) || Double.isInfinite(cost)) {
      return String.valueOf(cost);
    }
    BigDecimal bd = new BigDecimal(String.format(Locale.ROOT, "%.8f", cost)).stripTrailingZeros();
    if (bd.scale() < 2) {
      bd = bd.setScale(2);
    }
    return bd.toPlainString();
  }

  private static long earliestStart(List<ReceivedSpan> spans) {
    long min = Long.MAX_VALUE;
    for (ReceivedSpan s : spans) {
      min = Math.min(min, s.startEpochNanos());
    }
    return min;
  }
}
