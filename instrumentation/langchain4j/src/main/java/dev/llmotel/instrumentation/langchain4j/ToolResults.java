package dev.llmotel.instrumentation.langchain4j;

import dev.llmotel.core.Accessors;

/**
 * What a tool execution returned, whichever release: a String (1.0 to 1.3 executors), a
 * ToolExecutionResultMessage with text() (1.4, 1.5) or a ToolExecutionResult with resultText() and
 * isError() (1.6 on). Read reflectively, once per tool call.
 */
final class ToolResults {
  static String text(Object result) {
    if (result == null || result instanceof String) return (String) result;
    Object text = Accessors.call(result, "resultText");
    if (text == null) text = Accessors.call(result, "text");
    return text == null ? null : String.valueOf(text);
  }

  static boolean isError(Object result) {
    return Boolean.TRUE.equals(Accessors.call(result, "isError"));
  }

  /** The framework reported the tool's failure in its result rather than by an exception. */
  static final class ToolReportedError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ToolReportedError() {
      super("the tool execution reported an error", null, false, false);
    }
  }

  private ToolResults() {}
}
