package dev.llmotel.testkit.fakellm;

import static dev.llmotel.testkit.fakellm.OpenAiWire.NODES;
import static dev.llmotel.testkit.fakellm.OpenAiWire.words;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds the Anthropic Messages API wire bodies ({@code POST /v1/messages}): the message, its SSE
 * events and error bodies. The answers follow the same rules as the OpenAI ones (see
 * {@link FakeLlmServer}), in Anthropic's shapes:
 *
 * <ul>
 *   <li>Ids {@code msg_fake_n} and {@code toolu_fake_n}; {@code stop_reason} {@code tool_use} or
 *       {@code end_turn} ({@code max_tokens} and {@code refusal} as scripted, see {@link
 *       Behaviour#cutAtTokenLimit()} and {@link Behaviour#refusal()}); the model is echoed.
 *   <li>Structured outputs: when {@code output_config.format} (or the beta's {@code output_format}) is
 *       {@code {type: json_schema, schema}}, the text is JSON satisfying the schema, see {@link
 *       OpenAiWire#schemaValue}.
 *   <li>Tool use: when tools are offered, {@code tool_choice} is not {@code none} and the last user
 *       message holds no {@code tool_result}, one {@code tool_use} of the first tool, with arguments
 *       filling its {@code input_schema}'s required properties.
 *   <li>Tokens: each message counts 4 + its words, the system prompt 4 + its words. System blocks with
 *       {@code cache_control} are a cacheable prefix: the first request that sends a given prefix
 *       writes it ({@code cache_creation_input_tokens}), later ones read it
 *       ({@code cache_read_input_tokens}); {@code input_tokens} is the rest, as the API reports it.
 *   <li>Streams: {@code message_start} (usage with the input side and 1 output token), per block
 *       {@code content_block_start}, deltas (one word of text each, or 8-character
 *       {@code input_json_delta} fragments), {@code content_block_stop}, then {@code message_delta}
 *       (stop reason, final output tokens) and {@code message_stop}.
 * </ul>
 */
final class AnthropicWire {
  static final class Answer {
    final OpenAiWire.Answer content;
    final int inputTokens;
    final int cacheCreation;
    final int cacheRead;

    Answer(OpenAiWire.Answer content, int inputTokens, int cacheCreation, int cacheRead) {
      this.content = content;
      this.inputTokens = inputTokens;
      this.cacheCreation = cacheCreation;
      this.cacheRead = cacheRead;
    }
  }

  /** Text of an Anthropic content: a string, or its text blocks (tool results: their content's text). */
  static String textOf(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : content) {
      String t = "tool_result".equals(block.path("type").asText()) ? textOf(block.path("content"))
          : block.path("text").asText("");
      if (!t.isEmpty()) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(t);
      }
    }
    return sb.toString();
  }

  private static boolean hasToolResult(JsonNode content) {
    if (!content.isArray()) return false;
    for (JsonNode block : content) {
      if ("tool_result".equals(block.path("type").asText())) return true;
    }
    return false;
  }

  static Answer answer(JsonNode req, Set<String> cachedPrefixes) {
    JsonNode messages = req.path("messages");
    int total = 0;
    for (JsonNode m : messages) total += 4 + words(textOf(m.path("content")));
    JsonNode system = req.path("system");
    int cacheable = 0;
    StringBuilder prefix = new StringBuilder();
    if (!system.isMissingNode() && !system.isNull()) {
      total += 4 + words(textOf(system));
      if (system.isArray()) {
        for (JsonNode block : system) {
          if (block.has("cache_control")) {
            cacheable += words(block.path("text").asText(""));
            prefix.append(block.path("text").asText("")).append('\n');
          }
        }
      }
    }
    int creation = 0;
    int read = 0;
    if (cacheable > 0) {
      synchronized (cachedPrefixes) {
        if (cachedPrefixes.add(prefix.toString())) {
          creation = cacheable;
        } else {
          read = cacheable;
        }
      }
    }
    int input = total - cacheable;
    JsonNode last = messages.size() > 0 ? messages.get(messages.size() - 1) : NODES.missingNode();
    OpenAiWire.Answer content;
    String user = "";
    for (int i = messages.size() - 1; i >= 0; i--) {
      if ("user".equals(messages.get(i).path("role").asText())) {
        user = textOf(messages.get(i).path("content"));
        break;
      }
    }
    OpenAiWire.Structure structure = structure(req);
    if (hasToolResult(last.path("content"))) {
      content = new OpenAiWire.Answer(OpenAiWire.structured(structure, user,
          "Fake answer using tool result: " + OpenAiWire.snippet(textOf(last.path("content")))),
          null, null, total);
    } else {
      content = null;
      if (!"none".equals(req.path("tool_choice").path("type").asText())) {
        for (JsonNode tool : req.path("tools")) {
          if (tool.path("name").isTextual() && tool.has("input_schema")) {
            content = new OpenAiWire.Answer(null, tool.path("name").asText(),
                OpenAiWire.toolArguments(tool.path("input_schema"), user), total);
            break;
          }
        }
      }
      if (content == null) {
        String text = "Fake answer to: " + OpenAiWire.snippet(user);
        content = new OpenAiWire.Answer(OpenAiWire.structured(structure, user, text), null, null, total);
      }
    }
    return new Answer(content, input, creation, read);
  }

  /** {@code output_config.format}, else the beta's {@code output_format}: {type: json_schema, schema}. */
  static OpenAiWire.Structure structure(JsonNode req) {
    JsonNode format = req.path("output_config").path("format");
    if (!format.isObject()) {
      format = req.path("output_format");
    }
    return "json_schema".equals(format.path("type").asText())
        ? OpenAiWire.Structure.schema(format.path("schema")) : null;
  }

  /** What a scripted behaviour answers instead of the normal {@code a}: see {@link OpenAiWire#scripted}. */
  static Answer scripted(Answer a, Behaviour b) {
    OpenAiWire.Answer content = OpenAiWire.scripted(a.content, b);
    return content == a.content ? a : new Answer(content, a.inputTokens, a.cacheCreation, a.cacheRead);
  }

  static String messageId(long seq) {
    return "msg_fake_" + seq;
  }

  static String toolUseId(long seq) {
    return "toolu_fake_" + seq;
  }

  static ObjectNode usage(Answer a, int outputTokens) {
    ObjectNode u = NODES.objectNode();
    u.put("input_tokens", a.inputTokens);
    u.put("cache_creation_input_tokens", a.cacheCreation);
    u.put("cache_read_input_tokens", a.cacheRead);
    u.put("output_tokens", outputTokens);
    return u;
  }

  private static String stopReason(Answer a) {
    switch (a.content.ending) {
      case TOKEN_LIMIT:
        return "max_tokens";
      case REFUSAL:
        return "refusal";
      default:
        return a.content.isToolCall() ? "tool_use" : "end_turn";
    }
  }

  private static ObjectNode messageShell(long seq, String model) {
    ObjectNode m = NODES.objectNode();
    m.put("id", messageId(seq));
    m.put("type", "message");
    m.put("role", "assistant");
    m.put("model", model);
    return m;
  }

  static ObjectNode message(long seq, String model, Answer a) {
    ObjectNode m = messageShell(seq, model);
    ArrayNode content = m.putArray("content");
    if (a.content.isToolCall()) {
      ObjectNode block = content.addObject();
      block.put("type", "tool_use");
      block.put("id", toolUseId(seq));
      block.put("name", a.content.toolName);
      block.set("input", OpenAiWire.argumentsValue(a.content.toolArguments));
    } else {
      content.addObject().put("type", "text").put("text", a.content.text);
    }
    m.put("stop_reason", stopReason(a));
    m.putNull("stop_sequence");
    m.set("usage", usage(a, a.content.outputTokens));
    return m;
  }

  /** One SSE event: its type and data. */
  static final class Event {
    final String type;
    final ObjectNode data;

    Event(String type, ObjectNode data) {
      this.type = type;
      this.data = data;
      data.put("type", type);
    }

    String sse() {
      return "event: " + type + "\ndata: " + OpenAiWire.json(data) + "\n\n";
    }
  }

  static List<Event> events(long seq, String model, Answer a) {
    List<Event> out = new ArrayList<>();
    ObjectNode start = messageShell(seq, model);
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    start.set("usage", usage(a, 1));
    out.add(new Event("message_start", NODES.objectNode().set("message", start)));
    ObjectNode blockStart = NODES.objectNode();
    blockStart.put("index", 0);
    if (a.content.isToolCall()) {
      ObjectNode block = blockStart.putObject("content_block");
      block.put("type", "tool_use").put("id", toolUseId(seq)).put("name", a.content.toolName);
      block.putObject("input");
      out.add(new Event("content_block_start", blockStart));
      for (String fragment : OpenAiWire.fragments(a.content.toolArguments, OpenAiWire.ARGUMENT_FRAGMENT_CHARS)) {
        ObjectNode delta = NODES.objectNode();
        delta.put("index", 0);
        delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
        out.add(new Event("content_block_delta", delta));
      }
    } else {
      blockStart.putObject("content_block").put("type", "text").put("text", "");
      out.add(new Event("content_block_start", blockStart));
      for (String piece : OpenAiWire.pieces(a.content.text)) {
        ObjectNode delta = NODES.objectNode();
        delta.put("index", 0);
        delta.putObject("delta").put("type", "text_delta").put("text", piece);
        out.add(new Event("content_block_delta", delta));
      }
    }
    out.add(new Event("content_block_stop", NODES.objectNode().put("index", 0)));
    ObjectNode messageDelta = NODES.objectNode();
    messageDelta.putObject("delta").put("stop_reason", stopReason(a)).putNull("stop_sequence");
    messageDelta.putObject("usage").put("output_tokens", a.content.outputTokens);
    out.add(new Event("message_delta", messageDelta));
    out.add(new Event("message_stop", NODES.objectNode()));
    return out;
  }

  /** The API's error body: {"type": "error", "error": {"type": ..., "message": ...}}. */
  static ObjectNode error(String type, String message) {
    ObjectNode root = NODES.objectNode();
    root.put("type", "error");
    root.putObject("error").put("type", type).put("message", message);
    return root;
  }

  static ObjectNode errorForStatus(int status) {
    switch (status) {
      case 400: return error("invalid_request_error", "Fake invalid request.");
      case 401: return error("authentication_error", "invalid x-api-key");
      case 403: return error("permission_error", "Fake permission error.");
      case 404: return error("not_found_error", "Fake not found.");
      case 413: return error("request_too_large", "Fake request too large.");
      case 429: return error("rate_limit_error", "Fake rate limit: retry later.");
      case 529: return error("overloaded_error", "Overloaded");
      default: return error("api_error", "Fake internal server error.");
    }
  }

  private AnthropicWire() {}
}
