package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolCall;
import dev.llmotel.semconv.GenAiValues;
import io.opentelemetry.context.Context;
import java.lang.reflect.Method;
import org.springframework.ai.tool.observation.ToolCallingObservationContext;

/** One tool execution by Spring AI's ToolCallingManager: an execute_tool span. */
final class ToolOperation extends ObservedOperation {
  private final ToolCallingObservationContext ai;
  private ToolCall tool;

  ToolOperation(ToolCallingObservationContext ai) {
    this.ai = ai;
  }

  @Override
  protected Context begin(Context parent) {
    String name = ai.getToolDefinition().name();
    String arguments = ai.getToolCallArguments();
    String id = toolCallId(ai);
    if (id == null) id = ToolRound.claim(name, arguments);
    linkToStreamedCall(id);
    tool = new ToolCall(name, id, GenAiValues.TOOL_TYPE_FUNCTION).arguments(arguments);
    return SpringAiTelemetry.AGENTS.startTool(parent, tool);
  }

  @Override
  protected void finish(Context context, Throwable error) {
    try {
      tool.result(ai.getToolCallResult());
    } catch (Throwable t) {
      SafeHooks.failed("spring ai tool result", t);
    }
    SpringAiTelemetry.AGENTS.endTool(context, tool, error);
  }

  /**
   * Spring AI 1.1 runs a streamed call's tools before that call's observation ends (it ends after
   * the whole tool round), so the call has not told the agent run which tool calls it asked for
   * yet. The call is the observation in the Reactor context here: it is named the source now.
   */
  private static void linkToStreamedCall(String id) {
    if (id == null) return;
    io.micrometer.observation.Observation named = ReactiveToolContext.observation();
    if (!(named instanceof TracedObservation)) return;
    ObservedOperation source = ((TracedObservation) named).operation();
    if (source.isModelCall() && source.context() != null) {
      AgentInstrumenter.recordToolCallRequest(source.context(), id);
    }
  }

  /** 2.0 carries the model's tool call id on the context; 1.1 does not (see {@link RequestedTools}). */
  private static String toolCallId(ToolCallingObservationContext ai) {
    try {
      Method m = ai.getClass().getMethod("getToolCallId");
      Object id = m.invoke(ai);
      return id instanceof String && !((String) id).isEmpty() ? (String) id : null;
    } catch (NoSuchMethodException e) {
      return null;
    } catch (Throwable t) {
      SafeHooks.failed("spring ai tool call id", t);
      return null;
    }
  }
}
