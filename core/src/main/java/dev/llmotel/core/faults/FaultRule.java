package dev.llmotel.core.faults;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * One entry of the fault file: which calls (provider, model, workflow, operation; each optional,
 * the model and workflow as regexes), how often (a probability, drawn from the seed, and at most
 * {@code times} injections), and the fault's own parameters. An entry of {@code http_faults} is the
 * same for the agent's other HTTP requests (a vector database, an internal API): it matches by
 * {@code host} and {@code path} regexes (at least one), {@code method} and workflow.
 */
final class FaultRule {
  /** Rule numbers of http_faults start here, so their seeded draws never coincide with other rules'. */
  static final int REQUEST_INDEX_BASE = 20_000;
  final int index;
  final FaultKind kind;
  final double probability;
  final long times;
  final String provider;
  final Pattern model;
  final Pattern workflow;
  final String operation;
  final String retryAfter;
  final long millis;
  final int afterChunks;
  final int afterBytes;
  final String tool;
  final Timeline timeline;
  /** http_faults only: the request's host and path (regexes) and method; null for an LLM rule. */
  final Pattern host;
  final Pattern path;
  final String method;
  private final AtomicLong matched = new AtomicLong();
  private final AtomicLong injected = new AtomicLong();

  FaultRule(int index, Map<?, ?> m) {
    this(index, m, false);
  }

  /** An entry of {@code faults} (an LLM call's), or of {@code http_faults} when {@code request}. */
  FaultRule(int index, Map<?, ?> m, boolean request) {
    this.index = request ? REQUEST_INDEX_BASE + index : index;
    Object fault = m.get("fault");
    if (fault == null) throw new IllegalArgumentException("entry " + index + " has no \"fault\"");
    try {
      kind = FaultKind.parse(fault.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("entry " + index + ": unknown fault \"" + fault + "\"");
    }
    probability = number(m, "probability", 1.0);
    if (probability < 0 || probability > 1) throw new IllegalArgumentException("entry " + index + ": probability not in 0..1");
    times = (long) number(m, "times", Long.MAX_VALUE);
    provider = text(m, "provider");
    model = pattern(m, "model");
    workflow = pattern(m, "workflow");
    operation = text(m, "operation");
    retryAfter = text(m, "retry_after");
    long defaultMillis = kind == FaultKind.TIMEOUT ? 1000 : kind == FaultKind.LATENCY ? 500 : 0;
    millis = (long) number(m, "ms", defaultMillis);
    afterChunks = (int) number(m, "after_chunks", 3);
    afterBytes = (int) number(m, "after_bytes", 32);
    String t = text(m, "tool");
    tool = t == null ? "llm_otel_fault_unknown_tool" : t;
    timeline = Timeline.parse("entry " + index, m);
    host = pattern(m, "host");
    path = pattern(m, "path");
    String verb = text(m, "method");
    method = verb == null ? null : verb.toUpperCase(java.util.Locale.ROOT);
    if (request) {
      String where = "http fault " + index;
      if (host == null && path == null) throw new IllegalArgumentException(where + ": needs \"host\" or \"path\"");
      if (this.provider != null || this.model != null || this.operation != null) {
        throw new IllegalArgumentException(where + ": \"provider\", \"model\" and \"operation\" are for LLM calls (\"faults\")");
      }
      if (!kind.appliesToAnyRequest()) {
        throw new IllegalArgumentException(where + ": \"" + kind.wireName() + "\" is for LLM calls only");
      }
    } else if (host != null || path != null || method != null) {
      throw new IllegalArgumentException("entry " + index + ": \"host\", \"path\" and \"method\" are for \"http_faults\"");
    }
  }

  /** An http_faults rule: whether it is for this request (the path without its query). */
  boolean matchesRequest(String method, String host, String path, String workflow) {
    return (this.method == null || this.method.equalsIgnoreCase(method))
        && (this.host == null || (host != null && this.host.matcher(host).matches()))
        && (this.path == null || (path != null && this.path.matcher(path).matches()))
        && (this.workflow == null || (workflow != null && this.workflow.matcher(workflow).matches()));
  }

  boolean matches(String provider, String model, String workflow, String operation) {
    return (this.provider == null || this.provider.equals(provider))
        && (this.operation == null || this.operation.equals(operation))
        && (this.model == null || (model != null && this.model.matcher(model).matches()))
        && (this.workflow == null || (workflow != null && this.workflow.matcher(workflow).matches()));
  }

  /**
   * Whether this matching call gets the fault: the n-th matching call's draw is a function of the
   * seed, the rule and n only, so a run that makes the same calls in the same order injects the
   * same faults.
   */
  boolean fires(long seed, long sinceStartNanos) {
    long n = matched.getAndIncrement();
    if (!timeline.live(sinceStartNanos, n)) return false;
    if (injected.get() >= times) return false;
    if (probability < 1.0 && unitDraw(seed, index, n) >= probability) return false;
    return injected.incrementAndGet() <= times;
  }

  static double unitDraw(long seed, int rule, long n) {
    long z = seed * 0x9E3779B97F4A7C15L + rule * 0xBF58476D1CE4E5B9L + n * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  static double number(Map<?, ?> m, String key, double fallback) {
    Object v = m.get(key);
    if (v == null) return fallback;
    if (v instanceof Number) return ((Number) v).doubleValue();
    throw new IllegalArgumentException("\"" + key + "\" is not a number");
  }

  private static String text(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v == null ? null : v.toString();
  }

  static Pattern pattern(Map<?, ?> m, String key) {
    String v = text(m, key);
    try {
      return v == null ? null : Pattern.compile(v);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("\"" + key + "\" is not a regex: " + e.getDescription());
    }
  }
}
