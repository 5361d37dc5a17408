package dev.llmotel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one model of an LLM call shared by every library module. A library module fills the request
 * side before the call starts and the response side as it learns it; {@link LlmInstrumenter} turns
 * it into a span and metrics. What governance decides ({@link CallGovernance}) and the attempts
 * seen below the library's retries ({@link AttemptLog}) are parts of their own, which library
 * mappers do not write. Mutable and confined to one logical call; the few fields that a
 * stream or a retrying HTTP layer may write from another thread are guarded by this object.
 */
public final class LlmCall {
  // --- request: set before start, read by the start-time extractor (sampling sees them) ---
  private final String provider;
  private final String operation;
  private String requestModel;
  private String serverAddress;
  private int serverPort = -1;
  private boolean streaming;
  private Double temperature;
  private Double topP;
  private Long maxTokens;
  private Double frequencyPenalty;
  private Double presencePenalty;
  private List<String> stopSequences;
  private Long seed;
  private Long choiceCount;
  private List<String> encodingFormats;
  private String outputType;
  private final List<LlmMessage> inputMessages = new ArrayList<>();
  private final List<LlmMessage.Part> systemInstructions = new ArrayList<>();
  private final List<ToolDefinition> toolDefinitions = new ArrayList<>();

  // --- response ---
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
  private long startNanos;
  private long firstChunkNanos = -1;
  private long chunkCount;
  private String streamEnd;
  private Throwable unusableResponse;
  private List<io.opentelemetry.api.trace.SpanContext> links;
  private String rateLimitRemainingRequests;
  private String rateLimitRemainingTokens;
  private boolean responseTruncated;
  private List<String> faultsInjected; // allocated with the first: faults are drills, rare
  private BeforeSpanStart beforeSpanStart;
  private List<String> toolCallIds; // allocated with the first id: most calls ask for no tool

  // --- the parts only the shared core writes ---
  private final CallGovernance governance = new CallGovernance();
  private final AttemptLog attemptLog = new AttemptLog();

  public LlmCall(String provider, String operation) {
    this.provider = provider;
    this.operation = operation;
  }

  /** What governance decided and computed for this call: written by the core's governance only. */
  public CallGovernance governance() { return governance; }

  /** The call's HTTP attempts and retries: written by the layers that see attempts. */
  public AttemptLog attemptLog() { return attemptLog; }

  public String provider() { return provider; }
  public String operation() { return operation; }
  public String requestModel() { return requestModel; }
  public LlmCall requestModel(String v) { this.requestModel = v; return this; }
  public String serverAddress() { return serverAddress; }
  public int serverPort() { return serverPort; }

  /** Sets server.address and server.port from a base URL such as https://api.openai.com/v1. */
  public LlmCall server(String baseUrl) {
    ServerAddress parsed = ServerAddress.parse(baseUrl);
    if (parsed != null) {
      this.serverAddress = parsed.host;
      this.serverPort = parsed.port;
    }
    return this;
  }

  public boolean streaming() { return streaming; }
  public LlmCall streaming(boolean v) { this.streaming = v; return this; }
  public Double temperature() { return temperature; }
  public LlmCall temperature(Double v) { this.temperature = v; return this; }
  public Double topP() { return topP; }
  public LlmCall topP(Double v) { this.topP = v; return this; }
  public Long maxTokens() { return maxTokens; }
  public LlmCall maxTokens(Long v) { this.maxTokens = v; return this; }
  public Double frequencyPenalty() { return frequencyPenalty; }
  public LlmCall frequencyPenalty(Double v) { this.frequencyPenalty = v; return this; }
  public Double presencePenalty() { return presencePenalty; }
  public LlmCall presencePenalty(Double v) { this.presencePenalty = v; return this; }
  public List<String> stopSequences() { return stopSequences; }
  public LlmCall stopSequences(List<String> v) { this.stopSequences = v; return this; }
  public Long seed() { return seed; }
  public LlmCall seed(Long v) { this.seed = v; return this; }
  public Long choiceCount() { return choiceCount; }
  public LlmCall choiceCount(Long v) { this.choiceCount = v; return this; }
  public List<String> encodingFormats() { return encodingFormats; }
  public LlmCall encodingFormats(List<String> v) { this.encodingFormats = v; return this; }
  public String outputType() { return outputType; }
  public LlmCall outputType(String v) { this.outputType = v; return this; }
  public List<LlmMessage> inputMessages() { return inputMessages; }
  public List<LlmMessage.Part> systemInstructions() { return systemInstructions; }
  public List<ToolDefinition> toolDefinitions() { return toolDefinitions; }

  public synchronized String responseId() { return responseId; }
  public synchronized LlmCall responseId(String v) { if (v != null) this.responseId = v; return this; }
  public synchronized String responseModel() { return responseModel; }
  public synchronized LlmCall responseModel(String v) { if (v != null) this.responseModel = v; return this; }
  public synchronized List<String> finishReasons() { return new ArrayList<>(finishReasons); }
  public synchronized LlmCall addFinishReason(String v) { if (v != null) finishReasons.add(v); return this; }
  public synchronized Long inputTokens() { return inputTokens; }
  public synchronized Long outputTokens() { return outputTokens; }
  public synchronized Long cacheReadInputTokens() { return cacheReadInputTokens; }
  public synchronized Long cacheCreationInputTokens() { return cacheCreationInputTokens; }
  public synchronized Long reasoningOutputTokens() { return reasoningOutputTokens; }

  /** Records usage as the provider reported it; null leaves a count unknown (never guessed as 0). */
  public synchronized LlmCall usage(Long input, Long output) {
    if (input != null) this.inputTokens = input;
    if (output != null) this.outputTokens = output;
    return this;
  }

  public synchronized LlmCall cacheUsage(Long cacheRead, Long cacheCreation) {
    if (cacheRead != null) this.cacheReadInputTokens = cacheRead;
    if (cacheCreation != null) this.cacheCreationInputTokens = cacheCreation;
    return this;
  }

  public synchronized LlmCall reasoningOutputTokens(Long v) {
    if (v != null) this.reasoningOutputTokens = v;
    return this;
  }

  public synchronized Long embeddingDimensions() { return embeddingDimensions; }
  public synchronized LlmCall embeddingDimensions(Long v) { this.embeddingDimensions = v; return this; }

  public synchronized List<LlmMessage> outputMessages() { return new ArrayList<>(outputMessages); }
  public synchronized LlmCall addOutputMessage(LlmMessage m) { outputMessages.add(m); return this; }

  /** Spans this call's span links to (e.g. the app's previous attempt of the same request). */
  public synchronized List<io.opentelemetry.api.trace.SpanContext> links() {
    return links == null ? Collections.<io.opentelemetry.api.trace.SpanContext>emptyList() : new ArrayList<>(links);
  }

  public synchronized void addLink(io.opentelemetry.api.trace.SpanContext link) {
    if (links == null) links = new ArrayList<>(1);
    links.add(link);
  }

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

  private boolean replayed;

  /** Replay mode answered (part of) this call from a recording. */
  public synchronized void replayed(boolean v) { this.replayed = v; }

  public synchronized boolean replayed() { return replayed; }

  /** Fault injection put a fault of this kind into the call (once per kind). */
  public synchronized void faultInjected(String kind) {
    if (faultsInjected == null) faultsInjected = new ArrayList<>(2);
    if (!faultsInjected.contains(kind)) faultsInjected.add(kind);
  }

  public synchronized List<String> faultsInjected() {
    return faultsInjected == null ? null : new ArrayList<>(faultsInjected);
  }

  /** Runs after governance has hashed the request, just before the span starts (for links that need the hash). */
  public interface BeforeSpanStart {
    void run(io.opentelemetry.context.Context parent, LlmCall call);
  }

  public synchronized BeforeSpanStart beforeSpanStart() { return beforeSpanStart; }
  public synchronized void beforeSpanStart(BeforeSpanStart hook) { this.beforeSpanStart = hook; }

  void startNanos(long v) { this.startNanos = v; }

  long startNanos() { return startNanos; }

  /** Notes one stream chunk; the first one fixes the time to first chunk. */
  public synchronized void onChunk() {
    if (firstChunkNanos < 0) firstChunkNanos = System.nanoTime();
    chunkCount++;
  }

  public synchronized long chunkCount() { return chunkCount; }

  /** Seconds from the call's start to its first chunk, or null when no chunk arrived. */
  public synchronized Double timeToFirstChunkSeconds() {
    if (firstChunkNanos < 0 || startNanos == 0) return null;
    return (firstChunkNanos - startNanos) / 1e9;
  }

  /**
   * The library returned a response that the app cannot use (a required field missing or of the
   * wrong type): the library's own exception for it, which the app gets when it reads the response.
   * The span ends in error with that type although the library's method returned normally.
   */
  public synchronized Throwable unusableResponse() { return unusableResponse; }
  public synchronized LlmCall unusableResponse(Throwable v) { this.unusableResponse = v; return this; }

  /** Ids of the tool calls the model asked for in its answer (always recorded: they link the tool spans). */
  public synchronized List<String> toolCallIds() {
    return toolCallIds == null ? Collections.<String>emptyList() : new ArrayList<>(toolCallIds);
  }

  public synchronized LlmCall addToolCallId(String id) {
    if (id == null) return this;
    if (toolCallIds == null) toolCallIds = new ArrayList<>(2);
    if (toolCallIds.size() < 128) toolCallIds.add(id);
    return this;
  }

  public synchronized String streamEnd() { return streamEnd; }
  public synchronized LlmCall streamEnd(String v) { this.streamEnd = v; return this; }

  private boolean usageEstimated;
  private long outputCharacters;
  private volatile boolean ended;
  private io.opentelemetry.context.Context parentContext;

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

  /** The context the call started in (its span's parent). */
  public synchronized io.opentelemetry.context.Context parentContext() { return parentContext; }
  public synchronized void parentContext(io.opentelemetry.context.Context v) { this.parentContext = v; }

  /**
   * Whether the call's span has ended. A context can outlive its call: a library that runs the
   * app's completion callback inside the finished call's context hands it on to whatever the
   * callback does, and a call made there is a new call, not a part of the finished one.
   */
  public boolean ended() { return ended; }
  public void markEnded() { ended = true; }

  /** What a context shows of its call: how another class loader's copy tells an open call from an ended one. */
  static final String OPEN = "llm-otel call open";

  @Override
  public String toString() {
    return ended ? "llm-otel call ended" : OPEN;
  }

  private boolean ending;

  /**
   * True for the first end of this call only: two layers or two threads that both end it (a stream's
   * completion and its cancellation) must not settle its cost or close its run's count twice.
   */
  synchronized boolean beginEnd() {
    if (ending) return false;
    ending = true;
    return true;
  }

}
