package dev.llmotel.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What was asked of the model: the request side of an {@link LlmCall}, filled by the library
 * module's mapper before the call starts and read by the start-time extractor (sampling sees it)
 * and by governance. Written on the thread that makes the call, before it starts.
 */
public final class LlmRequest {
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
  private String conversationId;
  private dev.llmotel.core.output.OutputContract outputContract;
  private boolean logprobsRequested;
  private final List<LlmMessage> inputMessages = new ArrayList<>();
  private final List<LlmMessage.Part> systemInstructions = new ArrayList<>();
  private final List<ToolDefinition> toolDefinitions = new ArrayList<>();

  private final LlmCall call;

  LlmRequest(LlmCall call) {
    this.call = call;
  }

  /** The call this request belongs to: to go on building it in one expression. */
  public LlmCall call() { return call; }

  public String requestModel() { return requestModel; }
  public LlmRequest requestModel(String v) { this.requestModel = v; return this; }
  public String serverAddress() { return serverAddress; }
  public int serverPort() { return serverPort; }

  /** Sets server.address and server.port from a base URL such as https://api.openai.com/v1. */
  public LlmRequest server(String baseUrl) {
    ServerAddress parsed = ServerAddress.parse(baseUrl);
    if (parsed != null) {
      this.serverAddress = parsed.host;
      this.serverPort = parsed.port;
    }
    return this;
  }

  public boolean streaming() { return streaming; }
  public LlmRequest streaming(boolean v) { this.streaming = v; return this; }
  public Double temperature() { return temperature; }
  public LlmRequest temperature(Double v) { this.temperature = v; return this; }
  public Double topP() { return topP; }
  public LlmRequest topP(Double v) { this.topP = v; return this; }
  public Long maxTokens() { return maxTokens; }
  public LlmRequest maxTokens(Long v) { this.maxTokens = v; return this; }
  public Double frequencyPenalty() { return frequencyPenalty; }
  public LlmRequest frequencyPenalty(Double v) { this.frequencyPenalty = v; return this; }
  public Double presencePenalty() { return presencePenalty; }
  public LlmRequest presencePenalty(Double v) { this.presencePenalty = v; return this; }
  public List<String> stopSequences() { return stopSequences; }
  public LlmRequest stopSequences(List<String> v) { this.stopSequences = v; return this; }
  public Long seed() { return seed; }
  public LlmRequest seed(Long v) { this.seed = v; return this; }
  public Long choiceCount() { return choiceCount; }
  public LlmRequest choiceCount(Long v) { this.choiceCount = v; return this; }
  public List<String> encodingFormats() { return encodingFormats; }
  public LlmRequest encodingFormats(List<String> v) { this.encodingFormats = v; return this; }
  /** The conversation the request itself names (see {@link Conversations}); null when it names none. */
  public String conversationId() { return conversationId; }
  public LlmRequest conversationId(String v) { this.conversationId = Conversations.clean(v); return this; }
  public String outputType() { return outputType; }
  public LlmRequest outputType(String v) { this.outputType = v; return this; }
  /** The structure the request asks the answer to have (a response format), or null for free text. */
  public dev.llmotel.core.output.OutputContract outputContract() { return outputContract; }
  public LlmRequest outputContract(dev.llmotel.core.output.OutputContract v) { this.outputContract = v; return this; }

  /** The app asked for token log-probabilities (they give the answer's confidence). */
  public boolean logprobsRequested() { return logprobsRequested; }
  public LlmRequest logprobsRequested(boolean v) { this.logprobsRequested = v; return this; }

  /** Whether the answer is checked at all: a structure declared, or tools offered (their calls' arguments). */
  public boolean checksAnswer() {
    return outputContract != null || !toolDefinitions.isEmpty();
  }
  public List<LlmMessage> inputMessages() { return inputMessages; }
  public List<LlmMessage.Part> systemInstructions() { return systemInstructions; }
  public List<ToolDefinition> toolDefinitions() { return toolDefinitions; }

  /** Whether an image, audio, video or document part goes in: then the usage is not text alone. */
  public boolean hasMedia() {
    for (LlmMessage.Part part : systemInstructions) {
      if (part.isMedia()) return true;
    }
    for (LlmMessage m : inputMessages) {
      for (LlmMessage.Part part : m.parts()) {
        if (part.isMedia()) return true;
      }
    }
    return false;
  }
}
