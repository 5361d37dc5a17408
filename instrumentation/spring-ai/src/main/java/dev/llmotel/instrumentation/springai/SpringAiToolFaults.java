package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.ToolFaults;
import io.opentelemetry.context.Context;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.execution.ToolExecutionException;

/** Chaos drills' tool faults in Spring AI's terms (see ToolCallbackInstrumentation). */
public final class SpringAiToolFaults {
  private SpringAiToolFaults() {}

  public static Object enter() {
    return ToolFaults.enter(Context.current(), Thread.currentThread().getContextClassLoader());
  }

  /** An injected failure as a tool callback throws its method's own: a ToolExecutionException naming the tool. */
  public static Throwable thrown(Object callback, Object fault, Throwable error) {
    return ToolFaults.thrown(fault, error, e -> callback instanceof ToolCallback
        ? new ToolExecutionException(((ToolCallback) callback).getToolDefinition(), e) : e);
  }
}
