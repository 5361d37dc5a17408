package dev.llmotel.core.faults;

import dev.llmotel.core.governance.GovernanceFiles;
import dev.llmotel.core.injection.InjectionPayloads;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One entry of the fault file's {@code tool_faults}: which tool executions (tool name, agent name,
 * workflow: regexes, each optional), how often (probability drawn from the file's seed, at most
 * {@code times}), and the fault's own parameters.
 */
final class ToolFaultRule {
  /** Rule numbers of tool faults start here, so their seeded draws never coincide with the LLM rules'. */
  static final int INDEX_BASE = 10_000;

  final int index;
  final ToolFaultKind kind;
  final double probability;
  final long times;
  final Pattern tool;
  final Pattern agent;
  final Pattern workflow;
  final long millis;
  final String exception;
  final String message;
  /** TOOL_RESULT and INJECTED_INSTRUCTIONS: the text put in. */
  final String text;
  /** INJECTED_INSTRUCTIONS: whether the payload is appended to the real result (else it replaces it). */
  final boolean append;
  final Timeline timeline;
  private final AtomicLong matched = new AtomicLong();
  private final AtomicLong injected = new AtomicLong();

  ToolFaultRule(int index, Map<?, ?> m) {
    this.index = index;
    Object fault = m.get("fault");
    if (fault == null) throw new IllegalArgumentException("tool fault " + index + " has no \"fault\"");
    try {
      kind = ToolFaultKind.parse(fault.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tool fault " + index + ": unknown fault \"" + fault
          + "\" (tool_error, tool_latency, tool_timeout, tool_result, injected_instructions)");
    }
    probability = FaultRule.number(m, "probability", 1.0);
    if (probability < 0 || probability > 1) throw new IllegalArgumentException("tool fault " + index + ": probability not in 0..1");
    times = (long) FaultRule.number(m, "times", Long.MAX_VALUE);
    tool = FaultRule.pattern(m, "tool");
    agent = FaultRule.pattern(m, "agent");
    workflow = FaultRule.pattern(m, "workflow");
    millis = (long) FaultRule.number(m, "ms", kind == ToolFaultKind.TOOL_TIMEOUT ? 30_000 : kind == ToolFaultKind.TOOL_LATENCY ? 1_000 : 0);
    exception = m.get("exception") instanceof String ? (String) m.get("exception") : null;
    message = m.get("message") instanceof String ? (String) m.get("message")
        : "llm-otel chaos drill: injected tool error (tool fault " + index + ")";
    text = text(index, kind, m);
    Object placement = m.get("placement");
    if (placement != null && !"append".equals(placement) && !"replace".equals(placement)) {
      throw new IllegalArgumentException("tool fault " + index + ": placement is append or replace");
    }
    append = kind == ToolFaultKind.INJECTED_INSTRUCTIONS && !"replace".equals(placement);
    timeline = Timeline.parse("tool fault " + index, m);
  }

  private static String text(int index, ToolFaultKind kind, Map<?, ?> m) {
    try {
      if (kind == ToolFaultKind.TOOL_RESULT) {
        if (m.get("result_file") instanceof String) return GovernanceFiles.read((String) m.get("result_file"));
        if (m.get("result") instanceof String) return (String) m.get("result");
        return ""; // an empty result, the default
      }
      if (kind == ToolFaultKind.INJECTED_INSTRUCTIONS) {
        if (m.get("payload_file") instanceof String) return GovernanceFiles.read((String) m.get("payload_file"));
        if (m.get("payload_text") instanceof String) return (String) m.get("payload_text");
        String id = m.get("payload") instanceof String ? (String) m.get("payload") : "ignore-previous";
        InjectionPayloads.Payload p = InjectionPayloads.get(id);
        if (p == null) throw new IllegalArgumentException("tool fault " + index + ": no payload \"" + id + "\"");
        return p.text;
      }
      return null;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("tool fault " + index + ": " + e.getMessage());
    }
  }

  boolean matches(String tool, String agent, String workflow) {
    return matches(this.tool, tool) && matches(this.agent, agent) && matches(this.workflow, workflow);
  }

  private static boolean matches(Pattern p, String value) {
    return p == null || (value != null && p.matcher(value).matches());
  }

  /** Whether this matching execution gets the fault: the n-th one's draw depends on the seed, the rule and n only. */
  boolean fires(long seed, long sinceStartNanos) {
    long n = matched.getAndIncrement();
    if (!timeline.live(sinceStartNanos, n)) return false;
    if (injected.get() >= times) return false;
    if (probability < 1.0 && FaultRule.unitDraw(seed, INDEX_BASE + index, n) >= probability) return false;
    return injected.incrementAndGet() <= times;
  }
}
