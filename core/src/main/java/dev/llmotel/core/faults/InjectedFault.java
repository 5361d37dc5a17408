package dev.llmotel.core.faults;

/**
 * What fault injection decided for one HTTP request of an LLM call: a delay before it is sent
 * (0 for none), and at most one fault that changes its outcome (null for none).
 */
public final class InjectedFault {
  public final long latencyMillis;
  /** LATENCY alone, or null: the call goes on as it would. */
  public final FaultKind kind;
  final FaultRule rule;

  InjectedFault(long latencyMillis, FaultRule rule) {
    this.latencyMillis = latencyMillis;
    this.rule = rule;
    this.kind = rule == null ? null : rule.kind;
  }

  /**
   * The {@code retry-after} header of an injected 429 (default "1") or 503 (none unless the rule
   * sets one), or null for none.
   */
  public String retryAfter() {
    if (rule.retryAfter != null) return rule.retryAfter;
    return kind == FaultKind.HTTP_429 ? "1" : null;
  }

  /** How long a TIMEOUT waits before the client's timeout exception. */
  public long timeoutMillis() {
    return rule.millis;
  }

  /** After how many server-sent events a STREAM_CUT ends the body. */
  public int afterChunks() {
    return rule.afterChunks;
  }

  /** After how many bytes a TRUNCATED_RESPONSE ends the body. */
  public int afterBytes() {
    return rule.afterBytes;
  }

  /** The tool an UNKNOWN_TOOL_CALL asks for. */
  public String tool() {
    return rule.tool;
  }

  /** Waits on the calling thread (a blocking call's own): an injected delay or timeout. */
  public static void sleep(long millis) {
    if (millis <= 0) return;
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
