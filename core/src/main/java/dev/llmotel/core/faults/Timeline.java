package dev.llmotel.core.faults;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * When a rule of a drill is live, so that faults overlap as they do in incidents ("a 429 storm for two
 * minutes while search_orders times out"): {@code from} and {@code until}, durations from the drill's
 * start (the fault file's load: "90s", "2m", "500ms", or a number of seconds), and {@code from_call} and
 * {@code until_call}, the n-th request (or tool execution) the rule matches, 1-based, {@code until}
 * exclusive. Each bound is optional; a rule without any is live for the whole drill.
 */
final class Timeline {
  static final Timeline ALWAYS = new Timeline(0, Long.MAX_VALUE, 1, Long.MAX_VALUE);

  final long fromNanos;
  final long untilNanos;
  final long fromCall;
  final long untilCall;

  private Timeline(long fromNanos, long untilNanos, long fromCall, long untilCall) {
    this.fromNanos = fromNanos;
    this.untilNanos = untilNanos;
    this.fromCall = fromCall;
    this.untilCall = untilCall;
  }

  static Timeline parse(String where, Map<?, ?> m) {
    if (!m.containsKey("from") && !m.containsKey("until") && !m.containsKey("from_call") && !m.containsKey("until_call")) {
      return ALWAYS;
    }
    long from = duration(where, m.get("from"), 0);
    long until = duration(where, m.get("until"), Long.MAX_VALUE);
    long fromCall = (long) FaultRule.number(m, "from_call", 1);
    long untilCall = (long) FaultRule.number(m, "until_call", Long.MAX_VALUE);
    if (until <= from || untilCall <= fromCall || fromCall < 1) {
      throw new IllegalArgumentException(where + ": the timeline ends before it starts");
    }
    return new Timeline(from, until, fromCall, untilCall);
  }

  /** Whether the rule is live for its n-th match (0-based) at this time since the drill's start. */
  boolean live(long sinceStartNanos, long n) {
    long call = n + 1;
    return sinceStartNanos >= fromNanos && sinceStartNanos < untilNanos && call >= fromCall && call < untilCall;
  }

  static long duration(String where, Object v, long absent) {
    if (v == null) return absent;
    if (v instanceof Number) return (long) (((Number) v).doubleValue() * 1e9);
    String s = v.toString().trim().toLowerCase(Locale.ROOT);
    try {
      if (s.endsWith("ms")) return TimeUnit.MILLISECONDS.toNanos(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      if (s.endsWith("s")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 1e9);
      if (s.endsWith("m")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 60e9);
      if (s.endsWith("h")) return (long) (Double.parseDouble(s.substring(0, s.length() - 1).trim()) * 3600e9);
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(where + ": \"" + v + "\" is not a duration (500ms, 90s, 2m, 1h, or seconds)");
  }
}
