package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.AgentRun;
import dev.llmotel.core.faults.DrillReport;
import dev.llmotel.core.faults.Faults;
import dev.llmotel.core.faults.ToolFault;
import dev.llmotel.core.governance.Governance;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import dev.llmotel.semconv.McpAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Collections;
import java.util.function.BiFunction;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A chaos drill's tool fault (fault file {@code tool_faults}, by tool name) on a client's
 * {@code tools/call}, for both of the SDK's client APIs: decided when the request starts, applied to
 * the Mono of its result as the SDK would show the real fault, reported to the drill when it ends.
 * Each API only says how its results look ({@code errorResult}, {@code replaced}).
 */
final class McpToolFaults {
  final ToolFault fault;
  final String workflow;

  private McpToolFaults(ToolFault fault, String workflow) {
    this.fault = fault;
    this.workflow = workflow;
  }

  /**
   * The fault a drill injects into this tool call (marked on its span and counted), or null: none
   * configured, not a tool call, or a tool the framework runs (its fault was decided at its own span).
   */
  static McpToolFaults decide(McpOperation op, Context parent) {
    if (!op.ownsSpan || !Faults.get().toolFaultsEnabled()
        || !McpAttributes.TOOLS_CALL.equals(op.method)) {
      return null;
    }
    AgentRun run = AgentInstrumenter.currentRun(parent);
    String workflow = Governance.get().workflowOf(parent);
    ToolFault fault = Faults.get().decideTool(op.target, run == null ? null : run.name(), workflow);
    if (fault == null) return null;
    String kind = fault.kind.wireName();
    op.span.setAttribute(LlmOtelAttributes.FAULT_INJECTED, Collections.singletonList(kind));
    AttributesBuilder a = Attributes.builder().put(GenAiAttributes.TOOL_NAME, op.target).put(LlmOtelAttributes.FAULT_KIND, kind);
    if (workflow != null) a.put(LlmOtelAttributes.WORKFLOW, workflow);
    McpTelemetry.get().toolFaults.add(1, a.build(), op.context);
    AgentInstrumenter.drillStepElsewhere(op.context);
    return new McpToolFaults(fault, workflow);
  }

  /**
   * The result Mono with the fault applied: a slow server, one that never answers (what the SDK's own
   * request timeout gives), an error result with the failure's message, or the real result replaced.
   */
  Mono<Object> apply(Mono<Object> mono, Function<String, Object> errorResult, BiFunction<ToolFault, Object, Object> replaced) {
    ClassLoader loader = McpToolFaults.class.getClassLoader();
    switch (fault.kind) {
      case TOOL_LATENCY:
        return mono.delaySubscription(Duration.ofMillis(fault.waitMillis()));
      case TOOL_TIMEOUT:
        return Mono.delay(Duration.ofMillis(fault.waitMillis())).then(Mono.error(fault.failure(loader)));
      case TOOL_ERROR:
        return Mono.just(errorResult.apply(String.valueOf(fault.failure(loader).getMessage())));
      default:
        return mono.map(result -> replaced.apply(fault, result));
    }
  }

  /** The drill's record of this tool call, when it ended (failed: an exception or an error result). */
  void report(McpOperation op, boolean failed) {
    DrillReport drill = Faults.get().report();
    if (drill != null) drill.tool(workflow, fault.kind.wireName(), System.nanoTime() - op.startNanos(), failed);
  }
}
