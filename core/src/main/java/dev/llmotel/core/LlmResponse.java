package dev.llmotel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What came back from the model: the response side of an {@link LlmCall}, filled by the library
 * module's mapper (and, for what only HTTP shows, the plain-HTTP layer) as the answer arrives. A
 * stream or a retrying HTTP layer may write it from another thread, so it guards itself.
 */
public final class LlmResponse {
  private String responseId;
  private String responseModel;
  private final List<String> finishReasons = new ArrayList<>();
  private Long inputTokens;
  private Long outputTokens;
  private Long cacheReadInputTokens;
  private Long cacheCreationInputTokens;
  private Long reasoningOutputTokens;
  private Long embeddingDimensions;
  private final List<LlmMessage> outputMessages = new ArrayList<>();
  private List<String> toolCallIds; // allocated with the first id: most calls ask for no tool
  private Throwable unusableResponse;
  private String streamEnd;
  private long firstChunkNanos = -1;
  private long chunkCount;
  private long outputCharacters;
  private boolean usageEstimated;
  private String rateLimitRemainingRequests;
  private String rateLimitRemainingTokens;
  private boolean responseTruncated;
  private boolean replayed;
  private dev.llmotel.core.output.AnswerForValidation answer;
  private boolean modelRefused;
  private String incompleteReason;
  private double tokenProbabilitySum;
  private long tokenProbabilityCount;

  private final LlmCall call;

  LlmResponse(LlmCall call) {
    this.call = call;
  }

  /** The call this response belongs to: to go on building it in one expression. */
  public LlmCall call() { return call; }

  public synchronized String responseId() { return responseId; }
  public synchronized LlmResponse responseId(String v) { if (v != null) this.responseId = v; return this; }
  public synchronized String responseModel() { return responseModel; }
  public synchronized LlmResponse responseModel(String v) { if (v != null) this.responseModel = v; return this; }
  public synchronized List<String> finishReasons() { return new ArrayList<>(finishReasons); }
  public synchronized LlmResponse addFinishReason(String v) { if (v != null) finishReasons.add(v); return this; }
  public synchronized Long inputTokens() { return inputTokens; }
  public synchronized Long outputTokens() { return outputTokens; }
  public synchronized Long cacheReadInputTokens() { return cacheReadInputTokens; }
  public synchronized Long cacheCreationInputTokens() { return cacheCreationInputTokens; }
  public synchronized Long reasoningOutputTokens() { return reasoningOutputTokens; }

  /** Records usage as the provider reported it; null leaves a count unknown (never guessed as 0). */
  public synchronized LlmResponse usage(Long input, Long output) {
    if (input != null) this.inputTokens = input;
    if (output != null) this.outputTokens = output;
    return this;
  }

  public synchronized LlmResponse cacheUsage(Long cacheRead, Long cacheCreation) {
    if (cacheRead != null) this.cacheReadInputTokens = cacheRead;
    if (cacheCreation != null) this.cacheCreationInputTokens = cacheCreation;
    return this;
  }

  public synchronized LlmResponse reasoningOutputTokens(Long v) {
    if (v != null) this.reasoningOutputTokens = v;
    return this;
  }

  public synchronized Long embeddingDimensions() { return embeddingDimensions; }
  public synchronized LlmResponse embeddingDimensions(Long v) { this.embeddingDimensions = v; return this; }

  public synchronized List<LlmMessage> outputMessages() { return new ArrayList<>(outputMessages); }
  public synchronized LlmResponse addOutputMessage(LlmMessage m) { outputMessages.add(m); return this; }

  /**
   * The library returned a response that the app cannot use (a required field missing or of the
   * wrong type): the library's own exception for it, which the app gets when it reads the response.
   * The span ends in error with that type although the library's method returned normally.
   */
  public synchronized Throwable unusableResponse() { return unusableResponse; }
  public synchronized LlmResponse unusableResponse(Throwable v) { this.unusableResponse = v; return this; }

  /** Ids of the tool calls the model asked for in its answer (always recorded: they link the tool spans). */
  public synchronized List<String> toolCallIds() {
    return toolCallIds == null ? Collections.<String>emptyList() : new ArrayList<>(toolCallIds);
  }

  public synchronized LlmResponse addToolCallId(String id) {
    if (id == null) return this;
    if (toolCallIds == null) toolCallIds = new ArrayList<>(2);
    if (toolCallIds.size() < 128) toolCallIds.add(id);
    return this;
  }

  public synchronized String streamEnd() { return streamEnd; }
  public synchronized LlmResponse streamEnd(String v) { this.streamEnd = v; return this; }

  /** The provider's rate-limit headers, as sent (x-ratelimit-remaining-*, anthropic-ratelimit-*-remaining). */
  public synchronized String rateLimitRemainingRequests() { return rateLimitRemainingRequests; }
  public synchronized String rateLimitRemainingTokens() { return rateLimitRemainingTokens; }
  public synchronized void rateLimitRemaining(String requests, String tokens) {
    if (requests != null) this.rateLimitRemainingRequests = requests;
    if (tokens != null) this.rateLimitRemainingTokens = tokens;
  }

  /** The response body was larger than the copy kept of it: what was read from it may be partial. */
  public synchronized boolean responseTruncated() { return responseTruncated; }
  public synchronized void responseTruncated(boolean v) { this.responseTruncated = v; }

  /** Replay mode answered (part of) this call from a recording. */
  public synchronized void replayed(boolean v) { this.replayed = v; }

  public synchronized boolean replayed() { return replayed; }

  /** Notes one stream chunk; the first one fixes the time to first chunk, each later one its time since the one before. */
  public synchronized void onChunk() {
    long now = System.nanoTime();
    if (firstChunkNanos < 0) {
      firstChunkNanos = now;
    } else if (chunkGapCount < MAX_CHUNK_GAPS) {
      if (chunkGaps == null) chunkGaps = new long[16];
      if (chunkGapCount == chunkGaps.length) chunkGaps = java.util.Arrays.copyOf(chunkGaps, chunkGaps.length * 2);
      chunkGaps[chunkGapCount++] = now - lastChunkNanos;
    }
    lastChunkNanos = now;
    chunkCount++;
  }

  /** Chunk gaps kept for gen_ai.client.inference.time_per_output_chunk: a bound on a stream that never ends. */
  static final int MAX_CHUNK_GAPS = 65_536;
  private long lastChunkNanos;
  private long[] chunkGaps;
  private int chunkGapCount;

  /** The time from each chunk after the first to the one before it, in nanoseconds (a copy). */
  public synchronized long[] chunkGapsNanos() {
    return chunkGaps == null ? new long[0] : java.util.Arrays.copyOf(chunkGaps, chunkGapCount);
  }

  public synchronized long chunkCount() { return chunkCount; }

  /** Whether the usage on this call was estimated by llm-otel rather than reported by the provider. */
  public synchronized boolean usageEstimated() { return usageEstimated; }

  /** Usage llm-otel estimated (a stream that reported none, or was closed before it did). */
  public synchronized void estimatedUsage(Long input, Long output) {
    if (inputTokens == null && input != null) inputTokens = input;
    if (outputTokens == null && output != null) outputTokens = output;
    usageEstimated = true;
  }

  /**
   * Characters of answer text received, counted whether or not content is captured: what a stream
   * that reports no usage is estimated from.
   */
  public synchronized void addOutputCharacters(long n) { outputCharacters += n; }
  public synchronized long outputCharacters() { return outputCharacters; }

  /**
   * Answer text of one choice (a whole message, or a stream's delta in order), kept for the check
   * against the structure the request declared and for the judge of a sampled call; dropped at once
   * when neither needs it.
   */
  public synchronized LlmResponse answerText(int choice, String text) {
    if (text == null || !keepsAnswerText()) return this;
    if (answer == null) answer = new dev.llmotel.core.output.AnswerForValidation();
    answer.appendText(choice, text);
    return this;
  }

  /** Whether {@link #answerText} keeps text: the request declared a structure, or the call was sampled for evaluation. */
  public boolean keepsAnswerText() {
    return call.request().outputContract() != null || call.evaluation().sampled();
  }

  /** The answer's text as {@link #answerText} kept it (first choice), or null. */
  public synchronized String keptAnswerText() {
    return answer == null ? null : answer.firstText();
  }

  /** A tool call of the answer (name, arguments as JSON text), kept for the check against its tool's schema. */
  public synchronized LlmResponse answerToolCall(String name, String argumentsJson) {
    if (call.request().toolDefinitions().isEmpty()) return this;
    if (answer == null) answer = new dev.llmotel.core.output.AnswerForValidation();
    answer.addToolCall(name, argumentsJson);
    return this;
  }

  /** What {@link #answerText} and {@link #answerToolCall} kept, or null. */
  public synchronized dev.llmotel.core.output.AnswerForValidation answerForValidation() { return answer; }

  /** The model declined to answer in a field of its own (OpenAI's message.refusal), whatever the finish reason. */
  public synchronized LlmResponse modelRefused(boolean v) { this.modelRefused |= v; return this; }
  public synchronized boolean modelRefused() { return modelRefused; }

  /** Why an answer the provider marks incomplete stopped (OpenAI Responses: max_output_tokens, content_filter). */
  public synchronized LlmResponse incompleteReason(String v) { if (v != null) this.incompleteReason = v; return this; }
  public synchronized String incompleteReason() { return incompleteReason; }

  /** The log-probability of one answer token, where the app asked for them. */
  public synchronized LlmResponse tokenLogprob(double logprob) {
    if (Double.isNaN(logprob)) return this;
    tokenProbabilitySum += Math.exp(Math.min(0, logprob));
    tokenProbabilityCount++;
    return this;
  }

  /** Mean probability of the answer's tokens, or null when no log-probabilities came back. */
  public synchronized Double confidence() {
    return tokenProbabilityCount == 0 ? null : tokenProbabilitySum / tokenProbabilityCount;
  }

  /** When the first chunk arrived (System.nanoTime), or -1. */
  synchronized long firstChunkNanos() { return firstChunkNanos; }
}
