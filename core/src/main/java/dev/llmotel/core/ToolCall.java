package dev.llmotel.core;

import dev.llmotel.semconv.GenAiValues;

/** One tool execution that a model asked for: what the execute_tool span records. */
public final class ToolCall {
  private final String name;
  private final String callId;
  private final String type;
  private volatile String arguments;
  private volatile String result;
  private volatile Throwable failure;

  public ToolCall(String name, String callId) {
    this(name, callId, GenAiValues.TOOL_TYPE_FUNCTION);
  }

  public ToolCall(String name, String callId, String type) {
    this.name = name;
    this.callId = callId;
    this.type = type;
  }

  public String name() { return name; }
  public String callId() { return callId; }
  public String type() { return type; }
  public String arguments() { return arguments; }
  public ToolCall arguments(String v) { this.arguments = v; return this; }
  public String result() { return result; }
  public ToolCall result(String v) { this.result = v; return this; }

  /**
   * The tool's own exception, when the framework catches it and hands the model an error text
   * instead of throwing: the span still ends in error with this exception's type.
   */
  private volatile dev.llmotel.core.faults.ToolFault fault;
  private final long startNanos = System.nanoTime();

  long startNanos() { return startNanos; }

  /** The chaos drill's fault for this execution, decided when its span starts; null for none. */
  public dev.llmotel.core.faults.ToolFault fault() { return fault; }
  ToolCall fault(dev.llmotel.core.faults.ToolFault v) { this.fault = v; return this; }
  private boolean faultClaimed;

  /** True once, for the layer that applies the fault (a framework may pass a tool through two of them). */
  synchronized boolean claimFault() {
    if (fault == null || faultClaimed) return false;
    faultClaimed = true;
    return true;
  }

  public Throwable failure() { return failure; }
  public ToolCall failure(Throwable v) { this.failure = v; return this; }
}
