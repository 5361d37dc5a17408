package dev.llmotel.testkit.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usage the {@link FakeLlmServer} sends for a recorded request, worked out by the same code that built
 * the answer, so a test can compare a span's {@code gen_ai.usage.*} with the server's numbers for that very
 * request instead of only checking they are present.
 *
 * <p>{@link #input()} is the whole prompt, a cached part included (as {@code gen_ai.usage.input_tokens}
 * counts it; it does not depend on whether the cache was written or read), {@link #output()} the answer's
 * tokens, thoughts included. {@link #of(RecordedRequest)} holds for a request answered normally (a structured
 * answer too), {@link #of(RecordedRequest, Behaviour)} also for one answered as a behaviour scripted it: the
 * words of the text actually sent. Neither holds for an error, a cut stream or a malformed body. Streams
 * carry the same totals as the answer without streaming: OpenAI chat in its {@code include_usage} chunk,
 * Responses in {@code response.completed} (or {@code response.incomplete}), Anthropic input in {@code
 * message_start} and output in {@code message_delta}, Gemini in the last chunk's {@code usageMetadata},
 * Bedrock Converse in the {@code metadata} event and InvokeModel in {@code amazon-bedrock-invocationMetrics}.
 */
public final class ServedUsage {

  /** Bedrock Runtime on the decoded path (the recorded path is decoded: {@code %3A} is {@code :}). */
  private static final Pattern BEDROCK =
      Pattern.compile("/model/(.+)/(converse|converse-stream|invoke|invoke-with-response-stream)");

  private final long input;
  private final long output;

  private ServedUsage(long input, long output) {
    this.input = input;
    this.output = output;
  }

  /**
   * The usage the server answers {@code request} with: chat completions, Responses, embeddings, Anthropic
   * Messages, Gemini (and Vertex) generateContent and streamGenerateContent, Bedrock Converse, ConverseStream
   * and InvokeModel (Anthropic, Titan embeddings) with its stream.
   *
   * @throws IllegalArgumentException for an endpoint whose answer carries no usage
   */
  public static ServedUsage of(RecordedRequest request) {
    return of(request, Behaviour.ok());
  }

  /**
   * The usage the server answers {@code request} with when {@code behaviour} served it: the normal one for
   * {@link Behaviour#ok()}, {@link Behaviour#delay}, {@link Behaviour#heldUntil}, {@link
   * Behaviour#invalidUtf8()} and {@link Behaviour#unsure()}; that of the reshaped or scripted answer for
   * {@link Behaviour#chunks}, {@link Behaviour#answerText}, {@link Behaviour#toolArguments}, {@link
   * Behaviour#cutAtTokenLimit()} and {@link Behaviour#refusal()}. Embeddings answer the same whatever the
   * behaviour.
   *
   * @throws IllegalArgumentException for an endpoint whose answer carries no usage, or a behaviour whose
   *     answer carries none (an error, a cut stream, a malformed body, ...)
   */
  public static ServedUsage of(RecordedRequest request, Behaviour behaviour) {
    switch (behaviour.kind()) {
      case ERROR:
      case HANG:
      case MALFORMED:
      case WRONG_SHAPE:
      case STREAM_CUT:
      case RESET_CONNECTION:
        throw new IllegalArgumentException("the fake server sends no usage with " + behaviour);
      default:
        break;
    }
    int reshape = behaviour.kind() == Behaviour.Kind.CHUNKS ? behaviour.count() : 0;
    JsonNode req = request.json();
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    switch (path) {
      case "/v1/chat/completions": {
        OpenAiWire.Answer a = OpenAiWire.scripted(OpenAiWire.chatAnswer(req, reshape), behaviour);
        return new ServedUsage(a.inputTokens, a.outputTokens);
      }
      case "/v1/responses": {
        OpenAiWire.Answer a = OpenAiWire.scripted(OpenAiWire.responsesAnswer(req, reshape), behaviour);
        return new ServedUsage(a.inputTokens, a.outputTokens);
      }
      case "/v1/embeddings": {
        long tokens = 0;
        for (JsonNode input : OpenAiWire.embeddingInputs(req.path("input"))) {
          tokens += OpenAiWire.embeddingTokens(input);
        }
        return new ServedUsage(tokens, 0);
      }
      case "/v1/messages":
        return anthropic(req, behaviour);
      default:
        break;
    }
    Matcher m = FakeLlmServer.VERTEX_PATH.matcher(path);
    if (!m.matches()) {
      m = FakeLlmServer.GEMINI_PATH.matcher(path);
    }
    if (m.matches() && (m.group(2).equals("generateContent") || m.group(2).equals("streamGenerateContent"))) {
      GeminiWire.Answer a = GeminiWire.scripted(GeminiWire.answer(req, reshape), behaviour);
      return new ServedUsage(a.prompt(), a.content.outputTokens + a.thoughts);
    }
    m = BEDROCK.matcher(path);
    if (m.matches()) {
      String modelId = m.group(1);
      if (m.group(2).startsWith("converse")) {
        BedrockWire.Answer a = BedrockWire.scripted(BedrockWire.answer(req, null, reshape), behaviour);
        return new ServedUsage(BedrockWire.promptTokens(req), a.content.outputTokens);
      }
      if (BedrockWire.isAnthropic(modelId, req)) {
        return anthropic(req, behaviour);
      }
      if (BedrockWire.isTitanEmbedding(modelId, req) && req.path("inputText").isTextual()) {
        return new ServedUsage(BedrockWire.titanTokens(req.path("inputText").asText()), 0);
      }
    }
    throw new IllegalArgumentException("the fake server sends no usage for " + request.method() + " " + path);
  }

  /**
   * Anthropic Messages (also on Bedrock InvokeModel): the whole prompt, whichever part a cache holds.
   * Messages does not reshape for {@link Behaviour#chunks}.
   */
  private static ServedUsage anthropic(JsonNode req, Behaviour behaviour) {
    AnthropicWire.Answer a = AnthropicWire.scripted(AnthropicWire.answer(req, new HashSet<>()), behaviour);
    return new ServedUsage(a.content.inputTokens, a.content.outputTokens);
  }

  /** All input tokens, a cached part included. */
  public long input() {
    return input;
  }

  /** Output tokens, thoughts included. */
  public long output() {
    return output;
  }

  @Override
  public String toString() {
    return "ServedUsage{input=" + input + ", output=" + output + "}";
  }
}
