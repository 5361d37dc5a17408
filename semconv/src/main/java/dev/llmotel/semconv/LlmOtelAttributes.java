package dev.llmotel.semconv;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;

/** Attributes and event names of our own, all in the {@code llm_otel.} namespace. */
public final class LlmOtelAttributes {
  /** Attempts after the first one within one logical call; 0 when the first attempt was final. */
  public static final AttributeKey<Long> RETRY_COUNT = longKey("llm_otel.retry.count");
  /** How many documents a retrieval returned. */
  public static final AttributeKey<Long> RETRIEVAL_DOCUMENTS = longKey("llm_otel.retrieval.documents");

  /** Set on the span when captured content was cut to the configured size limit. */
  public static final AttributeKey<Boolean> CONTENT_TRUNCATED =
      AttributeKey.booleanKey("llm_otel.content.truncated");

  /** How a stream ended when it did not complete: "closed_early" or "error". */
  public static final AttributeKey<String> STREAM_END = stringKey("llm_otel.stream.end");
  public static final AttributeKey<Long> STREAM_CHUNK_COUNT = longKey("llm_otel.stream.chunks");

  /** Event added for every failed attempt of a call (the SDK retried it or gave up). */
  public static final String EVENT_ATTEMPT_FAILED = "llm_otel.attempt.failed";

  public static final AttributeKey<Long> ATTEMPT_NUMBER = longKey("llm_otel.attempt.number");
  /** The provider's retry-after header value, verbatim. */
  public static final AttributeKey<String> RETRY_AFTER = stringKey("llm_otel.retry_after");
  public static final AttributeKey<String> PROVIDER_REQUEST_ID = stringKey("llm_otel.provider.request_id");
  /** The provider's rate-limit headers on the last response, as sent (a count, or a count with a unit). */
  public static final AttributeKey<String> RATELIMIT_REMAINING_REQUESTS = stringKey("llm_otel.ratelimit.remaining_requests");
  public static final AttributeKey<String> RATELIMIT_REMAINING_TOKENS = stringKey("llm_otel.ratelimit.remaining_tokens");
  /** The response body was larger than the copy kept of it (plain HTTP clients): its fields may be partial. */
  public static final AttributeKey<Boolean> RESPONSE_TRUNCATED = AttributeKey.booleanKey("llm_otel.response.truncated");
  /** The kinds of the faults llm-otel's fault injection put into this call (a drill, not an incident). */
  /** The response was played back from a recording (replay mode), not received from the provider. */
  public static final AttributeKey<Boolean> REPLAYED = AttributeKey.booleanKey("llm_otel.replayed");
  public static final AttributeKey<java.util.List<String>> FAULT_INJECTED =
      AttributeKey.stringArrayKey("llm_otel.fault.injected");
  /**
   * The call's token usage was estimated by llm-otel, not reported by the provider (a stream that
   * reported none, or was closed before its usage arrived): input as counted before sending, output
   * from the characters of answer text received.
   */
  public static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.booleanKey("llm_otel.usage.estimated");

  /** Short stable hash of the prompt's template part (system instructions, tool definitions). */
  public static final AttributeKey<String> PROMPT_FINGERPRINT = stringKey("llm_otel.prompt.fingerprint");
  /** Hash of the whole request (model, parameters, messages): for replay and loop detection. */
  public static final AttributeKey<String> REQUEST_HASH = stringKey("llm_otel.request.hash");
  public static final AttributeKey<String> PROMPT_NAME = stringKey("llm_otel.prompt.name");
  public static final AttributeKey<String> PROMPT_VERSION = stringKey("llm_otel.prompt.version");
  /** Added the first time this process sees a prompt fingerprint. */
  public static final String EVENT_PROMPT_NEW_VERSION = "llm_otel.prompt.new_version";
  /** The kind of work a call belongs to; bounded, the overflow is "_OTHER". */
  public static final AttributeKey<String> WORKFLOW = stringKey("llm_otel.workflow");
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("llm_otel.cost.usd");
  public static final AttributeKey<String> POLICY_NAME = stringKey("llm_otel.policy.name");
  /** "refused" (enforce) or "would_refuse" (monitor). */
  public static final AttributeKey<String> POLICY_DECISION = stringKey("llm_otel.policy.decision");
  public static final AttributeKey<String> POLICY_MESSAGE = stringKey("llm_otel.policy.message");
  public static final AttributeKey<String> POLICY_MODE = stringKey("llm_otel.policy.mode");

  /**
   * Whether the answer fits the structure its request declared: "valid", "invalid" or "not_json";
   * absent when the request declared none.
   */
  public static final AttributeKey<String> OUTPUT_VALIDATION = stringKey("llm_otel.output.validation");
  /** The first violation: its JSON path and keyword (never any content of the answer). */
  public static final AttributeKey<String> OUTPUT_VALIDATION_ERROR = stringKey("llm_otel.output.validation.error");
  public static final String OUTPUT_VALID = "valid";
  public static final String OUTPUT_INVALID = "invalid";
  public static final String OUTPUT_NOT_JSON = "not_json";
  /** Mean token probability of the answer, when the response carries log-probabilities. */
  public static final AttributeKey<Double> OUTPUT_CONFIDENCE = AttributeKey.doubleKey("llm_otel.output.confidence");
  /** Why a call's answer cannot be used as it is (on the span and on the escalation log record). */
  public static final AttributeKey<String> ESCALATION_REASON = stringKey("llm_otel.escalation.reason");
  /** Event name of the log record that hands an unusable answer to a person. */
  public static final String EVENT_ESCALATION = "llm_otel.escalation";

  /**
   * What became of one sampled evaluation: "scored", or why it has no score ("dropped": the queue was
   * full; "over_budget"; "judge_error"; "judge_timeout"; "judge_invalid": the judge's answer did not fit).
   */
  public static final AttributeKey<String> EVALUATION_RESULT = stringKey("llm_otel.evaluation.result");
  /** The workflow of the judge's own calls: never evaluated themselves, with their own budget. */
  public static final String WORKFLOW_EVALUATION = "llm_otel.evaluation";

  /** The kind of one injected fault, on the fault counters (the span's llm_otel.fault.injected lists them). */
  public static final AttributeKey<String> FAULT_KIND = stringKey("llm_otel.fault.kind");

  /** How an agent run ended during a drill: answered, escalated, failed, refused. */
  public static final AttributeKey<String> DRILL_OUTCOME = stringKey("llm_otel.drill.outcome");
  /** Whether any fault of the drill reached the run (a call's or a tool's). */
  public static final AttributeKey<Boolean> DRILL_FAULTED = AttributeKey.booleanKey("llm_otel.drill.faulted");

  /** Span event on a tool (or retrieval) span whose result looks written to steer the model. */
  public static final String EVENT_INJECTION_SUSPECTED = "llm_otel.injection.suspected";
  /** The detection rule that matched (a rule id of the versioned rule set). */
  public static final AttributeKey<String> INJECTION_RULE = stringKey("llm_otel.injection.rule");
  /** Character offset of the match in the scanned text. */
  public static final AttributeKey<Long> INJECTION_POSITION = AttributeKey.longKey("llm_otel.injection.position");
  /** On a retrieval span's event: which retrieved document (0-based, in the order returned). */
  public static final AttributeKey<Long> INJECTION_DOCUMENT = AttributeKey.longKey("llm_otel.injection.document");
  public static final AttributeKey<String> INJECTION_RULES_VERSION = stringKey("llm_otel.injection.rules_version");
  /** The text around the match, redacted and capped: only with content capture on. */
  public static final AttributeKey<String> INJECTION_EXCERPT = stringKey("llm_otel.injection.excerpt");
  /** Why a span links to another: "injection_suspected" on a tool span made after a suspected injection. */
  public static final AttributeKey<String> LINK_REASON = stringKey("llm_otel.link.reason");

  public static final String STREAM_END_CLOSED_EARLY = "closed_early";
  public static final String STREAM_END_ERROR = "error";

  private LlmOtelAttributes() {}
}
