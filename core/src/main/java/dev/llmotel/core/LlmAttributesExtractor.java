package dev.llmotel.core;

import static dev.llmotel.semconv.GenAiAttributes.*;

import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;
import java.util.List;

/**
 * Maps an {@link LlmCall} onto span attributes. Everything a sampler may want (operation, provider,
 * request model, server) is set at start; the rest at end.
 */
final class LlmAttributesExtractor implements AttributesExtractor<LlmCall, LlmCall> {
  private final LlmOtelConfig config;

  LlmAttributesExtractor(LlmOtelConfig config) {
    this.config = config;
  }

  // A failure here must not stop the span from ending: the attributes written so far are kept.
  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, LlmCall call) {
    try {
      SafeHooks.checkpoint("attributes");
      requestAttributes(attributes, parentContext, call);
    } catch (Throwable t) {
      SafeHooks.failed("span attributes at call start", t);
    }
  }

  @Override
  public void onEnd(AttributesBuilder attributes, Context context, LlmCall call, LlmCall response,
      Throwable error) {
    try {
      SafeHooks.checkpoint("attributes");
      responseAttributes(attributes, call, error);
    } catch (Throwable t) {
      SafeHooks.failed("span attributes at call end", t);
    }
  }

  private void requestAttributes(AttributesBuilder attributes, Context parentContext, LlmCall call) {
    attributes.put(OPERATION_NAME, call.operation());
    attributes.put(PROVIDER_NAME, call.provider());
    putIfNotNull(attributes, REQUEST_MODEL, call.request().requestModel());
    putIfNotNull(attributes, SERVER_ADDRESS, call.request().serverAddress());
    if (call.request().serverAddress() != null && call.request().serverPort() > 0) {
      attributes.put(SERVER_PORT, (long) call.request().serverPort());
    }
    if (call.request().streaming()) attributes.put(REQUEST_STREAM, true);
    putIfNotNull(attributes, REQUEST_TEMPERATURE, call.request().temperature());
    putIfNotNull(attributes, REQUEST_TOP_P, call.request().topP());
    putIfNotNull(attributes, REQUEST_MAX_TOKENS, call.request().maxTokens());
    putIfNotNull(attributes, REQUEST_FREQUENCY_PENALTY, call.request().frequencyPenalty());
    putIfNotNull(attributes, REQUEST_PRESENCE_PENALTY, call.request().presencePenalty());
    putIfNotEmpty(attributes, REQUEST_STOP_SEQUENCES, call.request().stopSequences());
    putIfNotNull(attributes, REQUEST_SEED, call.request().seed());
    if (call.request().choiceCount() != null && call.request().choiceCount() != 1L) {
      attributes.put(REQUEST_CHOICE_COUNT, call.request().choiceCount());
    }
    putIfNotEmpty(attributes, REQUEST_ENCODING_FORMATS, call.request().encodingFormats());
    putIfNotNull(attributes, OUTPUT_TYPE, call.request().outputType());
    putIfNotNull(attributes, CONVERSATION_ID, Conversations.of(parentContext, call.request().conversationId()));
    putIfNotNull(attributes, LlmOtelAttributes.PROMPT_FINGERPRINT, call.governance().promptFingerprint());
    putIfNotNull(attributes, LlmOtelAttributes.REQUEST_HASH, call.governance().requestHash());
    putIfNotNull(attributes, LlmOtelAttributes.PROMPT_NAME, call.governance().promptName());
    putIfNotNull(attributes, LlmOtelAttributes.PROMPT_VERSION, call.governance().promptVersion());
    putIfNotNull(attributes, LlmOtelAttributes.WORKFLOW, call.governance().workflow());

    if (config.captureContent()) {
      int max = config.contentMaxLength();
      boolean truncated = false;
      if (!call.request().inputMessages().isEmpty()) {
        ContentJson.Rendered r = ContentJson.messages(call.request().inputMessages(), max);
        attributes.put(INPUT_MESSAGES, r.json);
        truncated |= r.truncated;
      }
      if (!call.request().systemInstructions().isEmpty()) {
        ContentJson.Rendered r = ContentJson.parts(call.request().systemInstructions(), max);
        attributes.put(SYSTEM_INSTRUCTIONS, r.json);
        truncated |= r.truncated;
      }
      if (!call.request().toolDefinitions().isEmpty()) {
        ContentJson.Rendered r = ContentJson.tools(call.request().toolDefinitions(), max);
        attributes.put(TOOL_DEFINITIONS, r.json);
        truncated |= r.truncated;
      }
      if (truncated) attributes.put(LlmOtelAttributes.CONTENT_TRUNCATED, true);
    }
  }

  private void responseAttributes(AttributesBuilder attributes, LlmCall call, Throwable error) {
    putIfNotNull(attributes, RESPONSE_ID, call.response().responseId());
    putIfNotNull(attributes, RESPONSE_MODEL, call.response().responseModel());
    putIfNotEmpty(attributes, RESPONSE_FINISH_REASONS, call.response().finishReasons());
    putIfNotNull(attributes, USAGE_INPUT_TOKENS, call.response().inputTokens());
    putIfNotNull(attributes, USAGE_OUTPUT_TOKENS, call.response().outputTokens());
    putIfNotNull(attributes, USAGE_CACHE_READ_INPUT_TOKENS, call.response().cacheReadInputTokens());
    putIfNotNull(attributes, USAGE_CACHE_WRITE_INPUT_TOKENS, call.response().cacheCreationInputTokens());
    putIfNotNull(attributes, USAGE_REASONING_OUTPUT_TOKENS, call.response().reasoningOutputTokens());
    if (call.response().usageEstimated()) attributes.put(LlmOtelAttributes.USAGE_ESTIMATED, true);
    putIfNotNull(attributes, EMBEDDINGS_DIMENSION_COUNT, call.response().embeddingDimensions());
    putIfNotNull(attributes, RESPONSE_TIME_TO_FIRST_CHUNK, call.timeToFirstChunkSeconds());
    attributes.put(LlmOtelAttributes.RETRY_COUNT, call.attemptLog().retryCount());
    putIfNotNull(attributes, LlmOtelAttributes.COST_USD, call.governance().costUsd());
    List<PolicyDecision> decisions = call.governance().policyDecisions();
    if (!decisions.isEmpty()) {
      PolicyDecision first = call.governance().refusal() != null ? call.governance().refusal() : decisions.get(0);
      attributes.put(LlmOtelAttributes.POLICY_NAME, first.policy);
      attributes.put(LlmOtelAttributes.POLICY_DECISION, first.decision);
      attributes.put(LlmOtelAttributes.POLICY_MESSAGE, first.message);
    }
    if (call.request().streaming()) {
      attributes.put(LlmOtelAttributes.STREAM_CHUNK_COUNT, call.response().chunkCount());
      putIfNotNull(attributes, LlmOtelAttributes.STREAM_END, call.response().streamEnd());
    }
    List<AttemptLog.Attempt> attempts = call.attemptLog().attempts();
    if (!attempts.isEmpty()) {
      putIfNotNull(attributes, LlmOtelAttributes.PROVIDER_REQUEST_ID,
          attempts.get(attempts.size() - 1).requestId);
    }
    putIfNotNull(attributes, LlmOtelAttributes.RATELIMIT_REMAINING_REQUESTS, call.response().rateLimitRemainingRequests());
    putIfNotNull(attributes, LlmOtelAttributes.RATELIMIT_REMAINING_TOKENS, call.response().rateLimitRemainingTokens());
    if (call.response().responseTruncated()) attributes.put(LlmOtelAttributes.RESPONSE_TRUNCATED, true);
    if (call.response().replayed()) attributes.put(LlmOtelAttributes.REPLAYED, true);
    List<String> faults = call.attemptLog().faultsInjected();
    if (faults != null) attributes.put(LlmOtelAttributes.FAULT_INJECTED, faults);
    dev.llmotel.core.output.OutputCheck check = call.outputReview().check();
    if (check != null) {
      attributes.put(LlmOtelAttributes.OUTPUT_VALIDATION, check.result);
      putIfNotNull(attributes, LlmOtelAttributes.OUTPUT_VALIDATION_ERROR, check.error);
    }
    putIfNotNull(attributes, LlmOtelAttributes.OUTPUT_CONFIDENCE, call.outputReview().confidence());
    putIfNotNull(attributes, LlmOtelAttributes.ESCALATION_REASON, call.outputReview().escalationReason());
    if (error != null) {
      attributes.put(ERROR_TYPE, ErrorTypes.of(error));
    }
    if (config.captureContent()) {
      List<LlmMessage> output = call.response().outputMessages();
      if (!output.isEmpty()) {
        ContentJson.Rendered r = ContentJson.messages(output, config.contentMaxLength());
        attributes.put(OUTPUT_MESSAGES, r.json);
        if (r.truncated) attributes.put(LlmOtelAttributes.CONTENT_TRUNCATED, true);
      }
    }
  }

  private static <T> void putIfNotNull(AttributesBuilder b, io.opentelemetry.api.common.AttributeKey<T> key, T value) {
    if (value != null) b.put(key, value);
  }

  private static void putIfNotEmpty(AttributesBuilder b,
      io.opentelemetry.api.common.AttributeKey<List<String>> key, List<String> value) {
    if (value != null && !value.isEmpty()) b.put(key, value);
  }
}
