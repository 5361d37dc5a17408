package dev.llmotel.core;

import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.GenAiValues;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.List;

/**
 * The one way agent invocations and tool executions become spans: {@code invoke_agent {name}} and
 * {@code execute_tool {name}}, both INTERNAL, following the GenAI semantic conventions. The model
 * calls in between are ordinary LLM calls ({@link LlmInstrumenter}); the agent run in the context
 * is what ties them together (tool call ids, workflow).
 */
public final class AgentInstrumenter {
  /** The conventions' advice for gen_ai.invoke_agent.duration: agents run longer than single calls. */
  static final java.util.List<Double> AGENT_DURATION_BUCKETS = java.util.Arrays.asList(
      0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6);
  private static final ContextKey<AgentRun> RUN = ContextKey.named("llm-otel-agent-run");
  private static final ContextKey<ToolCall> TOOL = ContextKey.named("llm-otel-tool-call");

  private final Instrumenter<AgentRun, Object> agents;
  private final Instrumenter<ToolCall, Object> tools;
  private final Instrumenter<Retrieval, Object> retrievals;
  private final InjectionSignals injections;
  private final io.opentelemetry.api.metrics.LongCounter toolFaults;
  private final io.opentelemetry.api.metrics.LongCounter drillRuns;
  private final io.opentelemetry.api.metrics.LongHistogram inferenceCallsPerRun;
  private final io.opentelemetry.api.metrics.LongHistogram toolCallsPerRun;

  private AgentInstrumenter(Instrumenter<AgentRun, Object> agents, Instrumenter<ToolCall, Object> tools,
      Instrumenter<Retrieval, Object> retrievals, InjectionSignals injections, Meter meter) {
    this.agents = agents;
    this.tools = tools;
    this.retrievals = retrievals;
    this.injections = injections;
    this.toolFaults = meter.counterBuilder("llm_otel.tool.faults")
        .setUnit("{fault}")
        .setDescription("Faults a chaos drill injected into tool executions, by tool and kind.")
        .build();
    java.util.List<Long> countBuckets = java.util.Arrays.asList(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L);
    this.inferenceCallsPerRun = meter.histogramBuilder("gen_ai.invoke_agent.inference_calls").ofLongs()
        .setUnit("{inference_call}").setDescription("Model calls one agent invocation made.")
        .setExplicitBucketBoundariesAdvice(countBuckets).build();
    this.toolCallsPerRun = meter.histogramBuilder("gen_ai.invoke_agent.tool_calls").ofLongs()
        .setUnit("{tool_call}").setDescription("Tool executions one agent invocation made.")
        .setExplicitBucketBoundariesAdvice(countBuckets).build();
    this.drillRuns = meter.counterBuilder("llm_otel.drill.runs")
        .setUnit("{run}")
        .setDescription("Agent runs during a chaos drill, by workflow, how they ended and whether a fault reached them.")
        .build();
  }

  public static AgentInstrumenter create(String instrumentationName, String instrumentationVersion) {
    return create(GlobalOpenTelemetry.get(), instrumentationName, instrumentationVersion);
  }

  public static AgentInstrumenter create(OpenTelemetry openTelemetry, String instrumentationName,
      String instrumentationVersion) {
    LlmOtelConfig config = LlmOtelConfig.get();
    Instrumenter<AgentRun, Object> agents = Instrumenter.<AgentRun, Object>builder(openTelemetry,
            instrumentationName, run -> GenAiValues.OPERATION_INVOKE_AGENT + " " + run.name())
        .setInstrumentationVersion(instrumentationVersion)
        .addAttributesExtractor(new AgentAttributes())
        .addOperationMetrics(OperationDurationMetric.of("gen_ai.invoke_agent.duration",
            "Duration of agent invocations.", AGENT_DURATION_BUCKETS,
            java.util.Arrays.<io.opentelemetry.api.common.AttributeKey<?>>asList(GenAiAttributes.AGENT_NAME,
                GenAiAttributes.ERROR_TYPE)))
        .buildInstrumenter(SpanKindExtractor.alwaysInternal());
    Instrumenter<ToolCall, Object> tools = Instrumenter.<ToolCall, Object>builder(openTelemetry,
            instrumentationName, tool -> GenAiValues.OPERATION_EXECUTE_TOOL + " " + tool.name())
        .setInstrumentationVersion(instrumentationVersion)
        .addAttributesExtractor(new ToolAttributes(config))
        .addOperationMetrics(OperationDurationMetric.of("gen_ai.execute_tool.duration",
            "Duration of tool executions.", LlmMetrics.DURATION_BUCKETS,
            java.util.Arrays.<io.opentelemetry.api.common.AttributeKey<?>>asList(GenAiAttributes.TOOL_NAME,
                GenAiAttributes.TOOL_TYPE, GenAiAttributes.AGENT_NAME, GenAiAttributes.ERROR_TYPE)))
        .addSpanLinksExtractor((links, parentContext, tool) -> {
          AgentRun run = parentContext.get(RUN);
          SpanContext source = run == null ? null : run.toolCallSource(tool.callId());
          if (source != null && source.isValid()) links.addLink(source);
          // A tool the model called after a suspected injection in this run: cause and effect, for a reviewer.
          if (run != null) {
            for (SpanContext suspected : run.suspectedInjections()) {
              links.addLink(suspected, io.opentelemetry.api.common.Attributes.of(LlmOtelAttributes.LINK_REASON,
                  InjectionSignals.ESCALATION_REASON));
            }
          }
        })
        .buildInstrumenter(SpanKindExtractor.alwaysInternal());
    Instrumenter<Retrieval, Object> retrievals = Instrumenter.<Retrieval, Object>builder(openTelemetry,
            instrumentationName, r -> GenAiValues.OPERATION_RETRIEVAL + " " + r.dataSourceId())
        .setInstrumentationVersion(instrumentationVersion)
        .addAttributesExtractor(new RetrievalAttributes())
        .buildInstrumenter(SpanKindExtractor.alwaysClient());
    Meter meter = openTelemetry.getMeterProvider()
        .meterBuilder(instrumentationName).setInstrumentationVersion(instrumentationVersion).build();
    return new AgentInstrumenter(agents, tools, retrievals,
        new InjectionSignals(meter, openTelemetry, instrumentationName, config), meter);
  }

  /**
   * A drill's fault reached a step of the run this context belongs to that another layer traces (an
   * MCP client's tool call): the run counts as faulted in the drill report.
   */
  public static void drillStepElsewhere(Context context) {
    AgentRun run = currentRun(context);
    if (run != null) run.drillStep(true, false, false, 0, null);
  }

  /** The agent run this context belongs to, if any. */
  public static AgentRun currentRun(Context context) {
    return context == null ? null : context.get(RUN);
  }

  /** Starts an agent's span, or returns null when tracing is suppressed here. */
  public Context startAgent(Context parent, AgentRun run) {
    SafeHooks.checkpoint("start");
    if (!agents.shouldStart(parent, run)) return null;
    Context context = agents.start(parent, run);
    run.spanId(Span.fromContext(context).getSpanContext().getSpanId());
    return context.with(RUN, run);
  }

  /** Ends the agent's span: in error when the invocation threw. Never throws. */
  public void endAgent(Context context, AgentRun run, Throwable error) {
    drillRun(context, run, error);
    try {
      run.endAfterOpenCalls(() -> {
        try {
          agents.end(context, run, null, error);
          recordCounts(context, run);
        } catch (Throwable t) {
          SafeHooks.failed("agent span end", t);
        }
      });
    } catch (Throwable t) {
      SafeHooks.failed("agent span end", t);
    }
  }

  /**
   * Starts a tool's span, or returns null when tracing is suppressed or a tool span of this call
   * is already open (frameworks pass a tool call through several layers of executors).
   */
  public Context startTool(Context parent, ToolCall tool) {
    SafeHooks.checkpoint("start");
    if (parent.get(TOOL) != null || !tools.shouldStart(parent, tool)) return null;
    decideFault(parent, tool);
    AgentRun run = parent.get(RUN);
    if (run != null) run.toolStarted();
    return tools.start(parent, tool).with(TOOL, tool);
  }

  /** gen_ai.invoke_agent.inference_calls and .tool_calls: how many model calls and tools the run made. */
  private void recordCounts(Context context, AgentRun run) {
    try {
      io.opentelemetry.api.common.Attributes a = io.opentelemetry.api.common.Attributes.of(GenAiAttributes.AGENT_NAME, run.name());
      inferenceCallsPerRun.record(run.inferenceCalls(), a, context);
      toolCallsPerRun.record(run.toolCalls(), a, context);
    } catch (Throwable t) {
      SafeHooks.failed("agent metrics", t);
    }
  }

  /** What a chaos drill's report and the run keep of an ended tool execution (fault injection on only). */
  private static void drillTool(Context context, ToolCall tool, boolean failed) {
    try {
      dev.llmotel.core.faults.DrillReport drill = dev.llmotel.core.faults.Faults.get().report();
      if (drill == null || context == null) return;
      String fault = tool.fault() == null ? null : tool.fault().kind.wireName();
      drill.tool(dev.llmotel.core.governance.Governance.get().workflowOf(context), fault,
          System.nanoTime() - tool.startNanos(), failed);
      AgentRun run = context.get(RUN);
      if (run != null) run.drillStep(fault != null, false, false, 0, null);
    } catch (Throwable t) {
      SafeHooks.failed("drill report", t);
    }
  }

  /** The run's outcome in a chaos drill's report and its counter (fault injection on only). */
  private void drillRun(Context context, AgentRun run, Throwable error) {
    try {
      dev.llmotel.core.faults.DrillReport drill = dev.llmotel.core.faults.Faults.get().report();
      if (drill == null || context == null) return;
      String workflow = dev.llmotel.core.governance.Governance.get().workflowOf(context);
      // Faults another copy put into the run's HTTP requests (the JDK HttpClient's, http_faults).
      if (drill.takeFaultsAt(run.spanId()) != null) run.drillStep(true, false, false, 0, null);
      String outcome = run.drillOutcome(error);
      drill.run(workflow, run.drillFaulted(), outcome, System.nanoTime() - run.startNanos(), run.drillRetries(),
          run.drillCostUsd());
      io.opentelemetry.api.common.AttributesBuilder a = io.opentelemetry.api.common.Attributes.builder()
          .put(LlmOtelAttributes.DRILL_OUTCOME, outcome).put(LlmOtelAttributes.DRILL_FAULTED, run.drillFaulted());
      if (workflow != null) a.put(LlmOtelAttributes.WORKFLOW, workflow);
      drillRuns.add(1, a.build(), context);
    } catch (Throwable t) {
      SafeHooks.failed("drill report", t);
    }
  }

  /** A chaos drill's fault for this tool execution (never in production: the fault file's gate). */
  private void decideFault(Context parent, ToolCall tool) {
    try {
      dev.llmotel.core.faults.Faults faults = dev.llmotel.core.faults.Faults.get();
      if (!faults.toolFaultsEnabled()) return;
      AgentRun run = parent.get(RUN);
      String workflow = dev.llmotel.core.governance.Governance.get().workflowOf(parent);
      dev.llmotel.core.faults.ToolFault fault = faults.decideTool(tool.name(), run == null ? null : run.name(), workflow);
      if (fault == null) return;
      tool.fault(fault);
      io.opentelemetry.api.common.AttributesBuilder a = io.opentelemetry.api.common.Attributes.builder()
          .put(GenAiAttributes.TOOL_NAME, tool.name()).put(LlmOtelAttributes.FAULT_KIND, fault.kind.wireName());
      if (workflow != null) a.put(LlmOtelAttributes.WORKFLOW, workflow);
      toolFaults.add(1, a.build(), parent);
    } catch (Throwable t) {
      SafeHooks.failed("tool fault", t);
    }
  }

  /** The tool execution in progress in this context, if a tool span owns it. */
  public static ToolCall currentTool(Context context) {
    return context == null ? null : context.get(TOOL);
  }

  /** Ends the tool's span: in error when the tool threw, even if the framework caught it. Never throws. */
  public void endTool(Context context, ToolCall tool, Throwable error) {
    if (context != null) injections.inspect(context, tool, context.get(RUN));
    drillTool(context, tool, error != null || tool.failure() != null);
    try {
      tools.end(context, tool, null, error != null ? error : tool.failure());
    } catch (Throwable t) {
      SafeHooks.failed("tool span end", t);
    }
  }

  /** Starts a retrieval's span, or returns null when tracing is suppressed here. */
  public Context startRetrieval(Context parent, Retrieval retrieval) {
    SafeHooks.checkpoint("start");
    if (!retrievals.shouldStart(parent, retrieval)) return null;
    return retrievals.start(parent, retrieval);
  }

  /** Ends a retrieval's span. Never throws. */
  public void endRetrieval(Context context, Retrieval retrieval, Throwable error) {
    if (context != null) injections.inspect(context, retrieval, context.get(RUN));
    try {
      retrievals.end(context, retrieval, null, error);
    } catch (Throwable t) {
      SafeHooks.failed("retrieval span end", t);
    }
  }

  /**
   * Names the model call of {@code chatContext} as the one that asked for a tool call, before that
   * call has ended (a framework that runs tools while the call's stream is still open).
   */
  public static void recordToolCallRequest(Context chatContext, String toolCallId) {
    AgentRun run = chatContext.get(RUN);
    if (run != null) run.toolCallRequested(toolCallId, Span.fromContext(chatContext).getSpanContext());
  }

  /** Called when a model call ends: remembers which tool calls it asked for, for the tool spans' links. */
  static void recordToolCallRequests(Context chatContext, LlmCall call) {
    AgentRun run = chatContext.get(RUN);
    if (run == null) return;
    List<String> ids = call.response().toolCallIds();
    if (ids.isEmpty()) return;
    SpanContext chatSpan = Span.fromContext(chatContext).getSpanContext();
    for (String id : ids) run.toolCallRequested(id, chatSpan);
  }

  private static final class AgentAttributes implements AttributesExtractor<AgentRun, Object> {
    @Override
    public void onStart(AttributesBuilder attributes, Context parentContext, AgentRun run) {
      attributes.put(GenAiAttributes.OPERATION_NAME, GenAiValues.OPERATION_INVOKE_AGENT);
      attributes.put(GenAiAttributes.AGENT_NAME, run.name());
    }

    @Override
    public void onEnd(AttributesBuilder attributes, Context context, AgentRun run, Object response,
        Throwable error) {
      // Known by the end: the framework names it when the run reads its chat memory; else the app's baggage.
      String conversation = Conversations.of(context, run.conversationId());
      if (conversation != null) attributes.put(GenAiAttributes.CONVERSATION_ID, conversation);
      if (error != null) attributes.put(GenAiAttributes.ERROR_TYPE, ErrorTypes.of(error));
    }
  }

  private static final class ToolAttributes implements AttributesExtractor<ToolCall, Object> {
    private final LlmOtelConfig config;

    ToolAttributes(LlmOtelConfig config) {
      this.config = config;
    }

    @Override
    public void onStart(AttributesBuilder attributes, Context parentContext, ToolCall tool) {
      attributes.put(GenAiAttributes.OPERATION_NAME, GenAiValues.OPERATION_EXECUTE_TOOL);
      attributes.put(GenAiAttributes.TOOL_NAME, tool.name());
      if (tool.callId() != null) attributes.put(GenAiAttributes.TOOL_CALL_ID, tool.callId());
      if (tool.type() != null) attributes.put(GenAiAttributes.TOOL_TYPE, tool.type());
      if (tool.fault() != null) {
        attributes.put(LlmOtelAttributes.FAULT_INJECTED, java.util.Collections.singletonList(tool.fault().kind.wireName()));
      }
      AgentRun run = parentContext.get(RUN);
      if (run != null) attributes.put(GenAiAttributes.AGENT_NAME, run.name());
      if (config.captureContent() && tool.arguments() != null) {
        putText(attributes, GenAiAttributes.TOOL_CALL_ARGUMENTS, tool.arguments());
      }
    }

    @Override
    public void onEnd(AttributesBuilder attributes, Context context, ToolCall tool, Object response,
        Throwable error) {
      Throwable failure = error != null ? error : tool.failure();
      if (failure != null) attributes.put(GenAiAttributes.ERROR_TYPE, ErrorTypes.of(failure));
      if (config.captureContent() && tool.result() != null) {
        putText(attributes, GenAiAttributes.TOOL_CALL_RESULT, tool.result());
      }
    }

    private void putText(AttributesBuilder attributes, io.opentelemetry.api.common.AttributeKey<String> key,
        String text) {
      ContentJson.Rendered r = ContentJson.plainText(text, config.contentMaxLength());
      attributes.put(key, r.json);
      if (r.truncated) attributes.put(LlmOtelAttributes.CONTENT_TRUNCATED, true);
    }
  }

  private static final class RetrievalAttributes implements AttributesExtractor<Retrieval, Object> {
    @Override
    public void onStart(AttributesBuilder attributes, Context parentContext, Retrieval r) {
      attributes.put(GenAiAttributes.OPERATION_NAME, GenAiValues.OPERATION_RETRIEVAL);
      attributes.put(GenAiAttributes.DATA_SOURCE_ID, r.dataSourceId());
      if (r.dbSystem() != null) attributes.put(GenAiAttributes.DB_SYSTEM_NAME, r.dbSystem());
      if (r.topK() != null) attributes.put(GenAiAttributes.REQUEST_TOP_K, r.topK());
      AgentRun run = parentContext.get(RUN);
      if (run != null) attributes.put(GenAiAttributes.AGENT_NAME, run.name());
    }

    @Override
    public void onEnd(AttributesBuilder attributes, Context context, Retrieval r, Object response,
        Throwable error) {
      if (r.documentCount() != null) attributes.put(LlmOtelAttributes.RETRIEVAL_DOCUMENTS, r.documentCount());
      if (error != null) attributes.put(GenAiAttributes.ERROR_TYPE, ErrorTypes.of(error));
    }
  }
}
