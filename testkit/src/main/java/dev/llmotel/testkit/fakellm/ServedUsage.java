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
 * tokens, thoughts included. Both hold for a request answered normally: not for {@link Behaviour#chunks(int)}
 * (a reshaped answer), nor for an error, a cut stream or a malformed body. Streams carry the same totals as
 * the answer without streaming: OpenAI chat in its {@code include_usage} chunk, Responses in {@code
 * response.completed}, Anthropic input in {@code message_start} and output in {@code message_delta}, Gemini in
 * the last chunk's {@code usageMetadata}, Bedrock Converse in the {@code metadata} event and InvokeModel in
 * {@code amazon-bedrock-invocationMetrics}.
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
    JsonNode req = request.json();
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    switch (path) {
      case "/v1/chat/completions": {
        OpenAiWire.Answer a = OpenAiWire.chatAnswer(req, 0);
        return new ServedUsage(a.inputTokens, a.outputTokens);
      }
      case "/v1/responses": {
        OpenAiWire.Answer a = OpenAiWire.responsesAnswer(req, 0);
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
        return anthropic(req);
      default:
        break;
    }
    Matcher m = FakeLlmServer.VERTEX_PATH.matcher(path);
    if (!m.matches()) {
      m = FakeLlmServer.GEMINI_PATH.matcher(path);
    }
    if (m.matches() && (m.group(2).equals("generateContent") || m.group(2).equals("streamGenerateContent"))) {
      return new ServedUsage(GeminiWire.promptTokens(req),
          GeminiWire.candidatesTokens(req) + GeminiWire.thoughtsTokens(req));
    }
    m = BEDROCK.matcher(path);
    if (m.matches()) {
      String modelId = m.group(1);
      if (m.group(2).startsWith("converse")) {
        return new ServedUsage(BedrockWire.promptTokens(req), BedrockWire.outputTokens(req));
      }
      if (BedrockWire.isAnthropic(modelId, req)) {
        return anthropic(req);
      }
      if (BedrockWire.isTitanEmbedding(modelId, req) && req.path("inputText").isTextual()) {
        return new ServedUsage(BedrockWire.titanTokens(req.path("inputText").asText()), 0);
      }
    }
    throw new IllegalArgumentException("the fake server sends no usage for " + request.method() + " " + path);
  }

  /** Anthropic Messages (also on Bedrock InvokeModel): the whole prompt, whichever part a cache holds. */
  private static ServedUsage anthropic(JsonNode req) {
    AnthropicWire.Answer a = AnthropicWire.answer(req, new HashSet<>());
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
