package dev.llmotel.core.faults;

import dev.llmotel.core.Accessors;
import java.util.concurrent.TimeoutException;

/** What fault injection decided for one tool execution; the layer that runs the tool applies it. */
public final class ToolFault {
  public final ToolFaultKind kind;
  private final ToolFaultRule rule;

  ToolFault(ToolFaultRule rule) {
    this.rule = rule;
    this.kind = rule.kind;
  }

  /** How long the tool waits before it runs (latency) or before it fails (timeout); 0 otherwise. */
  public long waitMillis() {
    return kind == ToolFaultKind.TOOL_LATENCY || kind == ToolFaultKind.TOOL_TIMEOUT ? rule.millis : 0;
  }

  /**
   * What the tool throws instead of running (error and timeout kinds), else null: the rule's exception
   * type made in {@code loader} (with a String constructor; else a RuntimeException naming the type).
   */
  public Throwable failure(ClassLoader loader) {
    if (kind == ToolFaultKind.TOOL_TIMEOUT) {
      return new TimeoutException("llm-otel chaos drill: the tool did not answer within " + rule.millis + " ms");
    }
    if (kind != ToolFaultKind.TOOL_ERROR) return null;
    if (rule.exception == null) return new RuntimeException(rule.message);
    Throwable made = loader == null ? null : Accessors.newThrowable(loader, rule.exception, rule.message);
    if (made == null) made = Accessors.newThrowable(ClassLoader.getSystemClassLoader(), rule.exception, rule.message);
    return made != null ? made : new RuntimeException(rule.exception + ": " + rule.message);
  }

  /** The result the framework hands on: the tool's own, replaced or appended to (result kinds), else as it is. */
  public Object result(Object real) {
    if (kind == ToolFaultKind.TOOL_RESULT) return rule.text;
    if (kind != ToolFaultKind.INJECTED_INSTRUCTIONS) return real;
    // Appending needs a text result; a tool that returns an object gets the payload instead.
    return rule.append && real instanceof String ? real + "\n" + rule.text : rule.text;
  }
}
