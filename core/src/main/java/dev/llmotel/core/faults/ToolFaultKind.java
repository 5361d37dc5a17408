package dev.llmotel.core.faults;

import java.util.Locale;

/**
 * The faults llm-otel can put into a tool execution (a LangChain4j tool, a Spring AI tool callback);
 * the name is the config value and the value of {@code llm_otel.fault.injected} on the tool's span.
 */
public enum ToolFaultKind {
  /** The tool throws: the exception type the rule names (default a RuntimeException naming the drill). */
  TOOL_ERROR,
  /** The tool runs, {@code ms} later. */
  TOOL_LATENCY,
  /** The tool does not answer: after {@code ms}, a TimeoutException, handled as the tool's own failure. */
  TOOL_TIMEOUT,
  /** The tool runs; its result is replaced: a fixed string, an empty result, or a file's content. */
  TOOL_RESULT,
  /** The tool runs; its result gets (or becomes) an indirect prompt-injection payload. */
  INJECTED_INSTRUCTIONS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ToolFaultKind parse(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
