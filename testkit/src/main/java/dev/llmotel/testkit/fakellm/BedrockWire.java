package dev.llmotel.testkit.fakellm;

import static dev.llmotel.testkit.fakellm.OpenAiWire.NODES;
import static dev.llmotel.testkit.fakellm.OpenAiWire.words;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Builds the AWS Bedrock Runtime wire bodies, as {@code software.amazon.awssdk:bedrockruntime} 2.x sends
 * and reads them (restJson1; shapes from the Bedrock Runtime API reference: Converse, ConverseStream,
 * InvokeModel, InvokeModelWithResponseStream).
 *
 * <h2>Endpoints</h2> (POST; the model id is URL-encoded in the path, e.g. {@code
 * anthropic.claude-3-haiku-20240307-v1%3A0}, and decoded)
 *
 * <ul>
 *   <li>{@code /model/{modelId}/converse}: the Converse JSON ({@code output.message}, {@code stopReason},
 *       {@code usage}, {@code metrics}).
 *   <li>{@code /model/{modelId}/converse-stream}: {@code application/vnd.amazon.eventstream}, one binary
 *       event-stream message per event (see {@link #frame(String, byte[])}): {@code messageStart}, for a
 *       tool call {@code contentBlockStart}, {@code contentBlockDelta}s, {@code contentBlockStop}, {@code
 *       messageStop}, {@code metadata} (usage and metrics).
 *   <li>{@code /model/{modelId}/invoke}: the model family's native body. Anthropic models ({@code
 *       anthropic.*}, or a body with {@code anthropic_version}) get the Anthropic Messages answer (see
 *       {@link AnthropicWire}) with the model reported as {@link #anthropicModel(String)}; Titan text
 *       embeddings ({@code amazon.titan-embed-*}, or a body with {@code inputText}) get {@code
 *       {"embedding":[...],"inputTextTokenCount":N}}. Token counts are also sent as the {@code
 *       X-Amzn-Bedrock-Input-Token-Count} / {@code -Output-Token-Count} headers.
 *   <li>{@code /model/{modelId}/invoke-with-response-stream}: Anthropic only; event-stream messages of
 *       type {@code chunk} whose payload is {@code {"bytes":"<base64 of an Anthropic stream event>"}}; the
 *       {@code message_stop} event carries {@code amazon-bedrock-invocationMetrics}.
 * </ul>
 *
 * <h2>Deterministic answers (Converse)</h2>
 *
 * <ul>
 *   <li>A message's text is its {@code text} blocks and the {@code text} (or {@code json}, as JSON) of
 *       its {@code toolResult} contents, space-separated; {@code toolUse} blocks have none.
 *   <li>Tool use: when {@code toolConfig.tools} has a {@code toolSpec} and the last message holds no
 *       {@code toolResult}, one {@code toolUse} ({@code toolUseId} {@code tooluse_fake_<n>}) of the tool
 *       named by {@code toolChoice.tool.name}, else the first, with {@code input} filling the required
 *       properties of {@code inputSchema.json}; {@code stopReason} {@code tool_use}.
 *   <li>Text: {@code "Fake answer to: " + snippet(last user text)}, or after a tool result {@code "Fake
 *       answer using tool result: " + snippet(its text)}; {@code stopReason} {@code end_turn}, or {@code
 *       max_tokens} when {@code inferenceConfig.maxTokens} is smaller than the words (the text is cut).
 *       Converse declares no answer structure here (tools only), so the text is never JSON unless scripted.
 *   <li>Scripted endings: {@code max_tokens} ({@link Behaviour#cutAtTokenLimit()}); {@code
 *       content_filtered} with an empty content ({@link Behaviour#refusal()}).
 *   <li>Tokens: (4 + words) per message, plus (4 + words) for a non-empty {@code system}, see {@link
 *       #promptTokens(JsonNode)}. The words of text blocks before the last {@code cachePoint} (walking
 *       {@code system}, then the messages) are a cacheable prefix (see {@link #cacheableTokens(JsonNode)}):
 *       the first request sending that prefix reports them as {@code cacheWriteInputTokens}, later ones
 *       as {@code cacheReadInputTokens}, and {@code inputTokens} is the rest, like Anthropic's API. {@code
 *       outputTokens} = words of the text, or words of the input JSON + 1. {@code totalTokens} = input +
 *       output + cache read + cache write. Cache fields appear only when there is a cache point.
 *   <li>{@code metrics.latencyMs} is always {@link #LATENCY_MS}; every response has {@code
 *       x-amzn-RequestId} {@link #requestId(long)}.
 *   <li>Streams: one {@code contentBlockDelta} per word of the text (with its leading whitespace), or
 *       8-character fragments of the tool input JSON.
 * </ul>
 *
 * <p>Errors: the status, header {@code x-amzn-ErrorType: <Type>:http://internal.amazon.com/coral/com.amazon.bedrock/}
 * and body {@code {"message":"..."}}; see {@link #errorType(int)}.
 */
public final class BedrockWire {

  /** {@code metrics.latencyMs} / invocation latency of every answer. */
  public static final long LATENCY_MS = 100;

  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  private BedrockWire() {}

  // ---------------------------------------------------------------------------------------------
  // Public helpers: the numbers a test expects
  // ---------------------------------------------------------------------------------------------

  /**
   * All input tokens of a Converse request, before the cache split: (4 + words) per message and for a
   * non-empty {@code system}. Without cache points this is {@code usage.inputTokens}.
   */
  public static int promptTokens(JsonNode converseRequest) {
    int total = 0;
    for (JsonNode m : converseRequest.path("messages")) {
      total += 4 + words(blocksText(m.path("content")));
    }
    JsonNode system = converseRequest.path("system");
    if (system.isArray() && system.size() > 0) {
      total += 4 + words(blocksText(system));
    }
    return total;
  }

  /**
   * The cacheable part of {@link #promptTokens(JsonNode)}: words of the text blocks before the last {@code
   * cachePoint} ({@code system} first, then the messages); 0 without a cache point. Written to the cache
   * by the first request with that prefix ({@code cacheWriteInputTokens}), read by later ones ({@code
   * cacheReadInputTokens}); {@code inputTokens} = prompt - cacheable.
   */
  public static int cacheableTokens(JsonNode converseRequest) {
    return cachePrefix(converseRequest).tokens;
  }

  /** {@code usage.outputTokens} of the normal answer (no {@link Behaviour#chunks(int)} reshaping). */
  public static int outputTokens(JsonNode converseRequest) {
    return answer(converseRequest, null, 0).content.outputTokens;
  }

  /** The answer text of the normal answer, or null when it is a tool use. */
  public static String answerText(JsonNode converseRequest) {
    return answer(converseRequest, null, 0).content.text;
  }

  /** {@code x-amzn-RequestId} of the {@code n}-th request: a UUID-shaped, deterministic id. */
  public static String requestId(long n) {
    return String.format("00000000-0000-4000-8000-%012d", n);
  }

  /**
   * The model an Anthropic-on-Bedrock answer reports for a model id: without an ARN prefix, a region
   * prefix ({@code us.}, {@code eu.}, ...), {@code anthropic.} and the {@code -v1:0} suffix, e.g. {@code
   * anthropic.claude-3-haiku-20240307-v1:0 -> claude-3-haiku-20240307}.
   */
  public static String anthropicModel(String modelId) {
    String m = modelId.substring(modelId.lastIndexOf('/') + 1);
    m = m.replaceFirst("^(us|eu|apac|us-gov|global|jp|au|ca)\\.", "");
    m = m.replaceFirst("^anthropic\\.", "");
    return m.replaceFirst("-v\\d+(:\\d+)?$", "");
  }

  /** Titan {@code inputTextTokenCount}: the words of {@code inputText}. */
  public static int titanTokens(String inputText) {
    return words(inputText);
  }

  // ---------------------------------------------------------------------------------------------
  // Request reading
  // ---------------------------------------------------------------------------------------------

  /** Text of Converse content blocks: text blocks and tool results' contents. */
  static String blocksText(JsonNode blocks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : blocks) {
      String t;
      if (block.path("text").isTextual()) {
        t = block.path("text").asText();
      } else if (block.has("toolResult")) {
        t = toolResultText(block.path("toolResult"));
      } else {
        t = "";
      }
      if (!t.isEmpty()) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static String toolResultText(JsonNode toolResult) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode c : toolResult.path("content")) {
      String t = c.path("text").isTextual() ? c.path("text").asText()
          : c.has("json") ? OpenAiWire.json(c.path("json")) : "";
      if (!t.isEmpty()) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static boolean hasToolResult(JsonNode message) {
    for (JsonNode block : message.path("content")) {
      if (block.has("toolResult")) return true;
    }
    return false;
  }

  /** The cacheable prefix: its key text and its tokens. */
  private static final class Prefix {
    final String key;
    final int tokens;

    Prefix(String key, int tokens) {
      this.key = key;
      this.tokens = tokens;
    }
  }

  private static Prefix cachePrefix(JsonNode req) {
    List<JsonNode> blocks = new ArrayList<>();
    for (JsonNode b : req.path("system")) blocks.add(b);
    for (JsonNode m : req.path("messages")) {
      for (JsonNode b : m.path("content")) blocks.add(b);
    }
    StringBuilder text = new StringBuilder();
    int words = 0;
    Prefix prefix = new Prefix("", 0);
    for (JsonNode b : blocks) {
      if (b.has("cachePoint")) {
        prefix = new Prefix(text.toString(), words);
      } else if (b.path("text").isTextual()) {
        text.append(b.path("text").asText()).append('\n');
        words += words(b.path("text").asText());
      }
    }
    return prefix;
  }

  // ---------------------------------------------------------------------------------------------
  // Converse
  // ---------------------------------------------------------------------------------------------

  /** The planned Converse answer. */
  static final class Answer {
    final OpenAiWire.Answer content;
    final int inputTokens;
    final int cacheRead;
    final int cacheWrite;
    final boolean cachePoint;
    final String stopReason;

    Answer(OpenAiWire.Answer content, int inputTokens, int cacheRead, int cacheWrite, boolean cachePoint,
        String stopReason) {
      this.content = content;
      this.inputTokens = inputTokens;
      this.cacheRead = cacheRead;
      this.cacheWrite = cacheWrite;
      this.cachePoint = cachePoint;
      this.stopReason = stopReason;
    }
  }

  /** Plans the answer; {@code cachedPrefixes} null means "do not touch the cache" (helpers). */
  static Answer answer(JsonNode req, Set<String> cachedPrefixes, int reshapeWords) {
    int prompt = promptTokens(req);
    Prefix prefix = cachePrefix(req);
    boolean cachePoint = prefix.tokens > 0;
    int read = 0;
    int write = 0;
    if (cachePoint && cachedPrefixes != null) {
      synchronized (cachedPrefixes) {
        if (cachedPrefixes.add("bedrock:" + prefix.key)) {
          write = prefix.tokens;
        } else {
          read = prefix.tokens;
        }
      }
    }
    JsonNode messages = req.path("messages");
    JsonNode last = messages.size() > 0 ? messages.get(messages.size() - 1) : NODES.missingNode();
    String text;
    String user = "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        user = blocksText(messages.get(i).path("content"));
        break;
      }
    }
    if (hasToolResult(last)) {
      text = "Fake answer using tool result: " + OpenAiWire.snippet(blocksText(last.path("content")));
    } else {
      JsonNode tool = toolToUse(req);
      if (tool != null) {
        OpenAiWire.Answer call = new OpenAiWire.Answer(null, tool.path("name").asText(),
            OpenAiWire.toolArguments(tool.path("inputSchema").path("json"), user), prompt);
        return new Answer(call, prompt - prefix.tokens, read, write, cachePoint, "tool_use");
      }
      text = "Fake answer to: " + OpenAiWire.snippet(user);
    }
    text = text.trim();
    if (reshapeWords > 0) {
      text = OpenAiWire.reshape(text, reshapeWords);
    }
    String stop = "end_turn";
    int max = req.path("inferenceConfig").path("maxTokens").asInt(0);
    if (max > 0 && words(text) > max) {
      text = OpenAiWire.reshape(text, max);
      stop = "max_tokens";
    }
    return new Answer(new OpenAiWire.Answer(text, null, null, prompt), prompt - prefix.tokens, read, write,
        cachePoint, stop);
  }

  /**
   * The answer a scripted behaviour gives instead of the normal {@code a} (see {@link OpenAiWire#scripted}):
   * {@code stopReason} {@code end_turn} (or {@code tool_use}), {@code max_tokens} at the token limit, {@code
   * content_filtered} for a refusal, whose content is empty.
   */
  static Answer scripted(Answer a, Behaviour b) {
    if (!b.shapesAnswer()) {
      return a;
    }
    OpenAiWire.Answer content = OpenAiWire.scripted(a.content, b);
    if (content == a.content) {
      return a;
    }
    String stop;
    switch (content.ending) {
      case TOKEN_LIMIT:
        stop = "max_tokens";
        break;
      case REFUSAL:
        content = content.withText("", OpenAiWire.Ending.REFUSAL);
        stop = "content_filtered";
        break;
      default:
        stop = content.isToolCall() ? "tool_use" : "end_turn";
    }
    return new Answer(content, a.inputTokens, a.cacheRead, a.cacheWrite, a.cachePoint, stop);
  }

  private static JsonNode toolToUse(JsonNode req) {
    JsonNode config = req.path("toolConfig");
    String named = config.path("toolChoice").path("tool").path("name").asText(null);
    JsonNode first = null;
    for (JsonNode tool : config.path("tools")) {
      JsonNode spec = tool.path("toolSpec");
      if (spec.path("name").isTextual()) {
        if (named == null || named.equals(spec.path("name").asText())) {
          return spec;
        }
        if (first == null) first = spec;
      }
    }
    return first;
  }

  static String toolUseId(long seq) {
    return "tooluse_fake_" + seq;
  }

  static ObjectNode usage(Answer a) {
    ObjectNode u = NODES.objectNode();
    u.put("inputTokens", a.inputTokens);
    u.put("outputTokens", a.content.outputTokens);
    u.put("totalTokens", a.inputTokens + a.content.outputTokens + a.cacheRead + a.cacheWrite);
    if (a.cachePoint) {
      u.put("cacheReadInputTokens", a.cacheRead);
      u.put("cacheWriteInputTokens", a.cacheWrite);
    }
    return u;
  }

  static ObjectNode converse(long seq, Answer a) {
    ObjectNode root = NODES.objectNode();
    ObjectNode message = root.putObject("output").putObject("message");
    message.put("role", "assistant");
    ArrayNode content = message.putArray("content");
    if (a.content.isToolCall()) {
      ObjectNode toolUse = content.addObject().putObject("toolUse");
      toolUse.put("toolUseId", toolUseId(seq));
      toolUse.put("name", a.content.toolName);
      toolUse.set("input", OpenAiWire.argumentsValue(a.content.toolArguments));
    } else if (!a.content.refused()) {
      content.addObject().put("text", a.content.text);
    }
    root.put("stopReason", a.stopReason);
    root.set("usage", usage(a));
    root.putObject("metrics").put("latencyMs", LATENCY_MS);
    return root;
  }

  /** One event of an event stream: its {@code :event-type} and JSON payload. */
  static final class Event {
    final String type;
    final ObjectNode payload;

    Event(String type, ObjectNode payload) {
      this.type = type;
      this.payload = payload;
    }
  }

  /** The events of {@code converse-stream}, in order. */
  static List<Event> converseEvents(long seq, Answer a) {
    List<Event> out = new ArrayList<>();
    out.add(new Event("messageStart", NODES.objectNode().put("role", "assistant")));
    if (a.content.isToolCall()) {
      ObjectNode start = NODES.objectNode().put("contentBlockIndex", 0);
      start.putObject("start").putObject("toolUse").put("toolUseId", toolUseId(seq))
          .put("name", a.content.toolName);
      out.add(new Event("contentBlockStart", start));
      for (String fragment : OpenAiWire.fragments(a.content.toolArguments, OpenAiWire.ARGUMENT_FRAGMENT_CHARS)) {
        ObjectNode delta = NODES.objectNode().put("contentBlockIndex", 0);
        delta.putObject("delta").putObject("toolUse").put("input", fragment);
        out.add(new Event("contentBlockDelta", delta));
      }
    } else {
      for (String piece : OpenAiWire.pieces(a.content.text)) {
        ObjectNode delta = NODES.objectNode().put("contentBlockIndex", 0);
        delta.putObject("delta").put("text", piece);
        out.add(new Event("contentBlockDelta", delta));
      }
    }
    if (!a.content.refused()) { // a filtered answer has no content block to stop
      out.add(new Event("contentBlockStop", NODES.objectNode().put("contentBlockIndex", 0)));
    }
    out.add(new Event("messageStop", NODES.objectNode().put("stopReason", a.stopReason)));
    ObjectNode metadata = NODES.objectNode();
    metadata.set("usage", usage(a));
    metadata.putObject("metrics").put("latencyMs", LATENCY_MS);
    out.add(new Event("metadata", metadata));
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // InvokeModel
  // ---------------------------------------------------------------------------------------------

  /** Whether InvokeModel treats this request as Anthropic Messages. */
  static boolean isAnthropic(String modelId, JsonNode req) {
    return anthropicModel(modelId).startsWith("claude") || req.has("anthropic_version");
  }

  /** Whether InvokeModel treats this request as Titan text embeddings. */
  static boolean isTitanEmbedding(String modelId, JsonNode req) {
    return modelId.contains("titan-embed") || req.path("inputText").isTextual();
  }

  /** The Titan text embeddings body; null without {@code inputText}. */
  static ObjectNode titanEmbedding(JsonNode req) {
    if (!req.path("inputText").isTextual()) {
      return null;
    }
    String text = req.path("inputText").asText();
    int dims = req.path("dimensions").asInt(OpenAiWire.DEFAULT_EMBEDDING_DIMENSIONS);
    ObjectNode root = NODES.objectNode();
    ArrayNode values = root.putArray("embedding");
    for (float f : OpenAiWire.vector(NODES.textNode(text), dims)) values.add(f);
    root.put("inputTextTokenCount", titanTokens(text));
    return root;
  }

  /**
   * The payload of one {@code chunk} event of InvokeModelWithResponseStream: {@code {"bytes": base64}}.
   * {@code json} is the Anthropic stream event, already serialized (and possibly corrupted).
   */
  static byte[] chunkPayload(byte[] json) {
    return ("{\"bytes\":\"" + Base64.getEncoder().encodeToString(json) + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** {@code amazon-bedrock-invocationMetrics} of the last Anthropic stream event. */
  static ObjectNode invocationMetrics(AnthropicWire.Answer a) {
    ObjectNode m = NODES.objectNode();
    m.put("inputTokenCount", a.inputTokens);
    m.put("outputTokenCount", a.content.outputTokens);
    m.put("invocationLatency", LATENCY_MS);
    m.put("firstByteLatency", LATENCY_MS / 2);
    return m;
  }

  // ---------------------------------------------------------------------------------------------
  // Event-stream framing
  // ---------------------------------------------------------------------------------------------

  /**
   * One binary event-stream message (the AWS {@code vnd.amazon.eventstream} format): total length (u32),
   * headers length (u32), CRC32 of those 8 bytes, the headers, the payload, CRC32 of everything before.
   * Headers: {@code :event-type} = {@code eventType}, {@code :content-type} = {@code application/json},
   * {@code :message-type} = {@code event}; each is name length (u8), name, type 7 (string), value length
   * (u16), value.
   */
  public static byte[] frame(String eventType, byte[] payload) {
    ByteArrayOutputStream headers = new ByteArrayOutputStream();
    header(headers, ":event-type", eventType);
    header(headers, ":content-type", "application/json");
    header(headers, ":message-type", "event");
    byte[] h = headers.toByteArray();
    int total = 12 + h.length + payload.length + 4;
    ByteBuffer buf = ByteBuffer.allocate(total);
    buf.putInt(total);
    buf.putInt(h.length);
    buf.putInt((int) crc32(buf.array(), 0, 8));
    buf.put(h);
    buf.put(payload);
    buf.putInt((int) crc32(buf.array(), 0, total - 4));
    return buf.array();
  }

  private static void header(ByteArrayOutputStream out, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    out.write(n.length);
    out.write(n, 0, n.length);
    out.write(7);
    out.write((v.length >>> 8) & 0xFF);
    out.write(v.length & 0xFF);
    out.write(v, 0, v.length);
  }

  private static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  // ---------------------------------------------------------------------------------------------
  // Errors
  // ---------------------------------------------------------------------------------------------

  /** The exception type Bedrock Runtime sends with an HTTP status. */
  public static String errorType(int status) {
    switch (status) {
      case 400: return "ValidationException";
      case 403: return "AccessDeniedException";
      case 404: return "ResourceNotFoundException";
      case 408: return "ModelTimeoutException";
      case 424: return "ModelErrorException";
      case 429: return "ThrottlingException";
      case 500: return "InternalServerException";
      case 503: return "ServiceUnavailableException";
      default: return status >= 500 ? "InternalServerException" : "ValidationException";
    }
  }

  /** The {@code x-amzn-ErrorType} header value for an exception type. */
  static String errorTypeHeader(String type) {
    return type + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
  }

  static ObjectNode error(String message) {
    return NODES.objectNode().put("message", message);
  }

  static String messageFor(int status) {
    switch (status) {
      case 400: return "Malformed input request, please reformat your input and try again.";
      case 403: return "You don't have access to the model with the specified model ID.";
      case 404: return "The provided model identifier is invalid.";
      case 408: return "Model has timed out in processing the request. Try your request again.";
      case 429: return "Too many requests, please wait before trying again.";
      case 503: return "Bedrock is unable to process your request.";
      default:
        return status >= 500 ? "The system encountered an unexpected error during processing. Try your request again."
            : "Request failed with status " + status + " (scripted by the fake LLM server).";
    }
  }
}
