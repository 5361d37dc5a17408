package dev.llmotel.smoke;

import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Reading span trees in the framework smoke tests, and printing them for failure messages. */
final class SpanTrees {
  private SpanTrees() {}

  static List<ReceivedSpan> childrenInOrder(OtlpReceiver receiver, ReceivedSpan parent) {
    return receiver.children(parent).stream().sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos))
        .collect(Collectors.toList());
  }

  /** Whether {@code ancestor} is {@code span}'s parent, or its parent's, and so on, within the trace. */
  static boolean isAncestor(List<ReceivedSpan> trace, ReceivedSpan ancestor, ReceivedSpan span) {
    java.util.Map<String, ReceivedSpan> byId = new java.util.HashMap<>();
    for (ReceivedSpan s : trace) byId.put(s.spanId(), s);
    for (ReceivedSpan at = byId.get(span.parentSpanId()); at != null; at = byId.get(at.parentSpanId())) {
      if (at.spanId().equals(ancestor.spanId())) return true;
    }
    return false;
  }

  static List<String> names(List<ReceivedSpan> spans) {
    return spans.stream().map(ReceivedSpan::name).collect(Collectors.toList());
  }

  /**
   * The span tree under a span, one line per span: name, kind, scope, status, start..end in
   * microseconds from the root's start, then the route, HTTP status, error type and thread where set.
   */
  static String tree(OtlpReceiver receiver, ReceivedSpan root) {
    StringBuilder out = new StringBuilder();
    tree(receiver, root, root.startEpochNanos(), "", out);
    return out.toString();
  }

  private static void tree(OtlpReceiver receiver, ReceivedSpan span, long origin, String indent, StringBuilder out) {
    out.append(indent).append(span.name()).append(" [").append(span.kind()).append(' ').append(span.scopeName())
        .append(' ').append(span.statusCode()).append("] ").append((span.startEpochNanos() - origin) / 1000)
        .append("..").append((span.endEpochNanos() - origin) / 1000).append(" us");
    for (String key : List.of("http.route", "http.response.status_code", "error.type", "thread.name")) {
      if (span.hasAttr(key)) out.append(' ').append(key).append('=').append(span.rawAttr(key));
    }
    out.append('\n');
    for (ReceivedSpan child : childrenInOrder(receiver, span)) tree(receiver, child, origin, indent + "  ", out);
  }
}
