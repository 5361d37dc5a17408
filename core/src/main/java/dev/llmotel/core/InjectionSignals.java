package dev.llmotel.core;

import dev.llmotel.core.injection.InjectionRules;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Injection detection, on in every environment (a signal, not a fault): a tool's result, and each
 * document a retrieval returned, is scanned with {@link InjectionRules} when its span ends. A hit adds an {@code llm_otel.injection.suspected}
 * event to the tool's span (rule, position; the text around it only with content capture on), counts
 * in {@code llm_otel.injection.suspected}, escalates ({@code injection_suspected}: an
 * {@code llm_otel.escalation} record in the tool span's context), and is remembered by the agent run,
 * whose later tool spans link to it. The result reaches the model unchanged. One per
 * {@link AgentInstrumenter}.
 */
final class InjectionSignals {
  static final String ESCALATION_REASON = "injection_suspected";
  /** Characters on each side of a match in the excerpt (content capture on). */
  static final int EXCERPT_CHARS = 60;

  private final LongCounter suspected;
  private final LongCounter escalations;
  private final Logger logger;
  private final LlmOtelConfig config;

  InjectionSignals(Meter meter, OpenTelemetry openTelemetry, String instrumentationName, LlmOtelConfig config) {
    suspected = meter.counterBuilder("llm_otel.injection.suspected")
        .setUnit("{result}")
        .setDescription("Tool results and retrieved documents that look written to steer the model (indirect prompt "
            + "injection), by rule and tool or data source.")
        .build();
    escalations = AnswerReviewer.escalationCounter(meter);
    logger = openTelemetry.getLogsBridge().get(instrumentationName);
    this.config = config;
  }

  /** Scans the tool's result before its span ends; never throws. */
  void inspect(Context toolContext, ToolCall tool, AgentRun run) {
    try {
      List<InjectionRules.Hit> hits = InjectionRules.scan(tool.result());
      if (hits.isEmpty()) return;
      AttributesBuilder subject = Attributes.builder().put(GenAiAttributes.TOOL_NAME, tool.name());
      if (tool.callId() != null) subject.put(GenAiAttributes.TOOL_CALL_ID, tool.callId());
      signal(toolContext, run, subject, tool.result(), hits, null);
    } catch (Throwable t) {
      SafeHooks.failed("injection detection", t);
    }
  }

  /** Scans each retrieved document before the retrieval's span ends; never throws. */
  void inspect(Context retrievalContext, Retrieval retrieval, AgentRun run) {
    try {
      List<String> documents = retrieval.documentTexts();
      for (int i = 0; i < documents.size(); i++) {
        List<InjectionRules.Hit> hits = InjectionRules.scan(documents.get(i));
        if (hits.isEmpty()) continue;
        AttributesBuilder subject = Attributes.builder().put(GenAiAttributes.DATA_SOURCE_ID, retrieval.dataSourceId());
        signal(retrievalContext, run, subject, documents.get(i), hits, (long) i);
      }
    } catch (Throwable t) {
      SafeHooks.failed("injection detection", t);
    }
  }

  /**
   * The events on the span, the counter, the run's memory and one escalation for one text that set
   * rules off. {@code subject} names the tool (or data source); {@code document} the retrieved document.
   */
  private void signal(Context context, AgentRun run, AttributesBuilder subject, String text,
      List<InjectionRules.Hit> hits, Long document) {
    Span span = Span.fromContext(context);
    if (run != null) subject.put(GenAiAttributes.AGENT_NAME, run.name());
    Attributes identity = subject.build();
    List<String> rules = new ArrayList<>(hits.size());
    for (InjectionRules.Hit hit : hits) {
      rules.add(hit.rule);
      AttributesBuilder event = Attributes.builder()
          .put(LlmOtelAttributes.INJECTION_RULE, hit.rule)
          .put(LlmOtelAttributes.INJECTION_POSITION, (long) hit.position)
          .put(LlmOtelAttributes.INJECTION_RULES_VERSION, InjectionRules.VERSION);
      if (document != null) event.put(LlmOtelAttributes.INJECTION_DOCUMENT, document);
      if (config.captureContent()) event.put(LlmOtelAttributes.INJECTION_EXCERPT, excerpt(text, hit.position));
      span.addEvent(LlmOtelAttributes.EVENT_INJECTION_SUSPECTED, event.build());
      suspected.add(1, identity.toBuilder().put(LlmOtelAttributes.INJECTION_RULE, hit.rule).build(), context);
    }
    if (run != null) {
      run.injectionSuspected(span.getSpanContext());
      run.drillStep(false, false, true, 0, null); // the run was escalated (for a drill's report)
    }
    escalations.add(1, identity.toBuilder().put(LlmOtelAttributes.ESCALATION_REASON, ESCALATION_REASON).build(), context);
    LogRecordBuilder record = logger.logRecordBuilder()
        .setEventName(LlmOtelAttributes.EVENT_ESCALATION)
        .setContext(context)
        .setSeverity(Severity.WARN)
        .setAllAttributes(identity)
        .setAttribute(LlmOtelAttributes.ESCALATION_REASON, ESCALATION_REASON)
        .setAttribute(io.opentelemetry.api.common.AttributeKey.stringArrayKey("llm_otel.injection.rules"), rules);
    if (document != null) record.setAttribute(LlmOtelAttributes.INJECTION_DOCUMENT, document);
    record.emit();
  }

  /** The text around the match, redacted and capped (content capture on only). */
  private String excerpt(String text, int position) {
    int from = Math.max(0, position - EXCERPT_CHARS);
    int to = Math.min(text.length(), position + EXCERPT_CHARS);
    String cut = Redactor.get().redact(text.substring(from, to));
    return cut.length() > config.contentMaxLength() ? cut.substring(0, config.contentMaxLength()) : cut;
  }
}
