package dev.llmotel.core;

import dev.llmotel.core.governance.Governance;
import dev.llmotel.core.output.OutputCheck;
import dev.llmotel.core.output.OutputValidation;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides at a call's end whether its answer can be used: checks it against the structure its
 * request declared, applies the output_validation policy, and escalates an answer that cannot be
 * used (a log record in the call's trace, for a person to review). One per {@link LlmInstrumenter}.
 */
final class AnswerReviewer {
  static final String POLICY = "output_validation";

  static final String OUTPUT_INVALID = "output_invalid";
  static final String REFUSAL = "refusal";
  static final String CONTENT_FILTER = "content_filter";
  static final String TRUNCATED = "truncated";
  static final String POLICY_REFUSED = "policy_refused";
  static final String LOW_CONFIDENCE = "low_confidence";
  /** The judge scored the answer under its evaluator's threshold (online evaluation, after the call). */
  static final String EVALUATION = "evaluation";

  /** Finish reasons (lower case) of an answer a safety system stopped, across providers. */
  private static final Set<String> FILTERED = new HashSet<>(Arrays.asList(
      "content_filter", "content_filtered", "guardrail_intervened", "safety", "recitation", "blocklist",
      "prohibited_content", "spii", "image_safety", "image_prohibited_content"));
  /** Finish reasons of an answer cut at the token limit. */
  private static final Set<String> CUT = new HashSet<>(Arrays.asList(
      "length", "max_tokens", "max_output_tokens", "model_context_window_exceeded"));

  private final LongCounter validations;
  private final LongCounter escalations;
  private final Logger logger;
  private final LlmOtelConfig config;

  AnswerReviewer(Meter meter, OpenTelemetry openTelemetry, String instrumentationName, LlmOtelConfig config) {
    validations = meter.counterBuilder("llm_otel.output.validations")
        .setUnit("{call}")
        .setDescription("LLM calls whose request declared a structure, by whether the answer fits it.")
        .build();
    escalations = escalationCounter(meter);
    logger = openTelemetry.getLogsBridge().get(instrumentationName);
    this.config = config;
  }

  /** The escalations counter of a meter (answers, judges' scores, suspected injections: one instrument). */
  static LongCounter escalationCounter(Meter meter) {
    return meter.counterBuilder("llm_otel.escalations")
        .setUnit("{escalation}")
        .setDescription("What is handed to a person to review, by reason: answers that cannot be used as they are, "
            + "low scores of the judge, suspected prompt injections.")
        .build();
  }

  /**
   * Before the span ends: the verdict, the policy's decision and the escalation reason, all on the
   * call for the span's attributes. {@code error} is what the library threw (null when it returned).
   */
  void review(LlmCall call, Throwable error) {
    OutputReview review = call.outputReview();
    PolicyDecision refusal = call.governance().refusal();
    String stop = stopKind(call);
    // A refusal or a safety stop is not an attempt at the structure: it is escalated as what it is, not checked.
    if (error == null && call.request().checksAnswer() && !call.response().modelRefused()
        && stop != REFUSAL && stop != CONTENT_FILTER) {
      OutputCheck check = OutputValidation.check(call.request().outputContract(), call.request().toolDefinitions(),
          call.response().answerForValidation());
      review.check(check);
      if (check != null && check.failed()) applyPolicy(call, check);
    }
    review.confidence(call.response().confidence());
    review.escalationReason(escalationReason(call, refusal, error, stop));
  }

  /**
   * How the answer stopped, by the incomplete reason and the finish reasons: {@link #REFUSAL}, {@link
   * #CONTENT_FILTER} (a safety system), {@link #TRUNCATED} (the token limit), or null (an ordinary end).
   * The first refusal or filter found decides; a cut is remembered until the end. Read once per call.
   */
  private static String stopKind(LlmCall call) {
    String incomplete = call.response().incompleteReason();
    if (incomplete != null && FILTERED.contains(incomplete)) return CONTENT_FILTER;
    boolean cut = incomplete != null && CUT.contains(incomplete);
    for (String reason : call.response().finishReasons()) {
      // Nearly every answer ends so: no lower-casing and no set lookups for it.
      if (reason.equals("stop") || reason.equals("tool_calls") || reason.equals("end_turn")) continue;
      String r = reason.toLowerCase(Locale.ROOT);
      if (REFUSAL.equals(r)) return REFUSAL;
      if (FILTERED.contains(r)) return CONTENT_FILTER;
      cut |= CUT.contains(r);
    }
    return cut ? TRUNCATED : null;
  }

  private static void applyPolicy(LlmCall call, OutputCheck check) {
    Governance governance = Governance.get();
    boolean enforce = governance.outputValidationEnforced();
    if (!enforce && !governance.outputValidationMonitored()) return;
    // A call whose policies are monitor-only (replayed, a judge's), or whose layer cannot fail it (a
    // stream the app already has), records what it would have done.
    java.util.function.Function<PolicyDecision, ? extends Throwable> exception = call.outputReview().libraryException();
    if (call.governance().isPoliciesMonitorOnly() || exception == null) enforce = false;
    PolicyDecision decision = new PolicyDecision(POLICY, enforce, PolicyDecision.Kind.UNUSABLE_ANSWER,
        "the answer is " + check.result.replace('_', ' ') + " (" + check.error + ")");
    call.governance().addPolicyDecision(decision);
    if (!enforce) return;
    Throwable rejection = exception.apply(decision);
    call.outputReview().rejection(rejection);
    call.response().unusableResponse(rejection);
  }

  private static String escalationReason(LlmCall call, PolicyDecision refusalAtStart, Throwable error, String stop) {
    if (call.evaluation().isJudge()) return null; // a judge's answer is counted by the evaluation, not reviewed by a person
    if (refusalAtStart != null && refusalAtStart.refused()) return POLICY_REFUSED;
    if (error != null) return null; // a failed call is an error, not an answer to review
    if (call.response().modelRefused()) return REFUSAL;
    if (stop != null) return stop;
    OutputCheck check = call.outputReview().check();
    if (check != null && check.failed()) return OUTPUT_INVALID;
    Double confidence = call.response().confidence();
    if (confidence != null && confidence < Governance.get().confidenceThreshold()) return LOW_CONFIDENCE;
    return null;
  }

  /** After the span has its attributes: the counters, and the escalation's log record in the call's span context. */
  void record(Context context, LlmCall call) {
    OutputReview review = call.outputReview();
    OutputCheck check = review.check();
    if (check != null) {
      validations.add(1, CallCounters.callAttributes(call).put(LlmOtelAttributes.OUTPUT_VALIDATION, check.result).build(), context);
    }
    String reason = review.escalationReason();
    if (reason == null) return;
    LogRecordBuilder record = escalation(context, call, reason);
    if (check != null) {
      record.setAttribute(LlmOtelAttributes.OUTPUT_VALIDATION, check.result);
      putIfNotNull(record, LlmOtelAttributes.OUTPUT_VALIDATION_ERROR, check.error);
    }
    putIfNotNull(record, LlmOtelAttributes.OUTPUT_CONFIDENCE, review.confidence());
    record.emit();
  }

  /**
   * Counts an escalation and returns its log record in the call's span context with what identifies
   * the call (and its content where capture is on), for the caller to add its reason's details and emit.
   */
  LogRecordBuilder escalation(Context context, LlmCall call, String reason) {
    escalations.add(1, CallCounters.callAttributes(call).put(LlmOtelAttributes.ESCALATION_REASON, reason).build(), context);
    LogRecordBuilder record = logger.logRecordBuilder()
        .setEventName(LlmOtelAttributes.EVENT_ESCALATION)
        .setContext(context)
        .setSeverity(Severity.WARN)
        .setAttribute(LlmOtelAttributes.ESCALATION_REASON, reason)
        .setAttribute(GenAiAttributes.OPERATION_NAME, call.operation())
        .setAttribute(GenAiAttributes.PROVIDER_NAME, call.provider());
    putIfNotNull(record, GenAiAttributes.REQUEST_MODEL, call.request().requestModel());
    putIfNotNull(record, GenAiAttributes.RESPONSE_MODEL, call.response().responseModel());
    putIfNotNull(record, GenAiAttributes.RESPONSE_ID, call.response().responseId());
    putIfNotNull(record, LlmOtelAttributes.WORKFLOW, call.governance().workflow());
    putIfNotNull(record, LlmOtelAttributes.PROMPT_NAME, call.governance().promptName());
    putIfNotNull(record, LlmOtelAttributes.PROMPT_VERSION, call.governance().promptVersion());
    putIfNotNull(record, LlmOtelAttributes.PROMPT_FINGERPRINT, call.governance().promptFingerprint());
    List<String> finish = call.response().finishReasons();
    if (!finish.isEmpty()) record.setAttribute(GenAiAttributes.RESPONSE_FINISH_REASONS, finish);
    PolicyDecision refusal = call.governance().refusal();
    if (refusal != null) {
      record.setAttribute(LlmOtelAttributes.POLICY_NAME, refusal.policy);
      record.setAttribute(LlmOtelAttributes.POLICY_MESSAGE, refusal.message);
    }
    if (config.captureContent()) {
      // The same capped, redacted renderings as on the span.
      int max = config.contentMaxLength();
      if (!call.request().inputMessages().isEmpty()) {
        record.setAttribute(GenAiAttributes.INPUT_MESSAGES, ContentJson.messages(call.request().inputMessages(), max).json);
      }
      List<LlmMessage> output = call.response().outputMessages();
      if (!output.isEmpty()) record.setAttribute(GenAiAttributes.OUTPUT_MESSAGES, ContentJson.messages(output, max).json);
    }
    return record;
  }

  static <T> void putIfNotNull(LogRecordBuilder b, io.opentelemetry.api.common.AttributeKey<T> key, T value) {
    if (value != null) b.setAttribute(key, value);
  }
}
