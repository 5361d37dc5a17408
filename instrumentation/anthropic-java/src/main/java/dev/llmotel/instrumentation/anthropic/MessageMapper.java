package dev.llmotel.instrumentation.anthropic;

import com.anthropic.core.ClientOptions;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.models.messages.MessageCreateParams;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.core.Accessors;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ProviderUsage;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps Messages API params and results of the Anthropic SDK onto the shared call model, through
 * their wire JSON ({@link AnthropicJson}): the API's shape, the same in every supported release.
 */
final class MessageMapper {
  static LlmCall request(MessageCreateParams params, ClientOptions options, boolean streaming) {
    LlmCall call = new LlmCall(GenAiValues.PROVIDER_ANTHROPIC, GenAiValues.OPERATION_CHAT);
    call.request().streaming(streaming);
    try {
      // ClientOptions.baseUrl() is public from 1.x releases after 1.0 on.
      Object baseUrl = Accessors.call(options, "baseUrl");
      if (baseUrl instanceof String) call.request().server((String) baseUrl);
      JsonNode body = AnthropicJson.body(params);
      call.request().requestModel(AnthropicJson.textOrNull(body.get("model")));
      call.request().maxTokens(AnthropicJson.longOrNull(body.get("max_tokens")));
      call.request().temperature(AnthropicJson.doubleOrNull(body.get("temperature")));
      call.request().topP(AnthropicJson.doubleOrNull(body.get("top_p")));
      JsonNode stop = body.path("stop_sequences");
      if (stop.isArray() && stop.size() > 0) {
        List<String> sequences = new ArrayList<>();
        for (JsonNode s : stop) sequences.add(s.asText());
        call.request().stopSequences(sequences);
      }
      // Always mapped: governance hashes and estimates them; only capture decides whether they are exported.
      mapConversation(call, body);
      mapOutputFormat(call, body);
    } catch (Throwable t) {
      SafeHooks.failed("anthropic message request mapping", t);
    }
    return call;
  }

  static void mapConversation(LlmCall call, JsonNode body) {
    JsonNode system = body.path("system");
    if (system.isTextual()) {
      call.request().systemInstructions().add(LlmMessage.Part.text(system.asText()));
    } else if (system.isArray()) {
      for (JsonNode block : system) {
        if (block.path("text").isTextual()) call.request().systemInstructions().add(LlmMessage.Part.text(block.path("text").asText()));
      }
    }
    for (JsonNode message : body.path("messages")) {
      LlmMessage out = new LlmMessage(message.path("role").asText("user"));
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        out.add(LlmMessage.Part.text(content.asText()));
      } else {
        for (JsonNode block : content) addBlock(out, block);
      }
      call.request().inputMessages().add(out);
    }
    for (JsonNode tool : body.path("tools")) {
      if (tool.path("name").isTextual()) {
        call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, tool.path("name").asText(),
            tool.path("description").isTextual() ? tool.path("description").asText() : null,
            tool.has("input_schema") ? tool.path("input_schema").toString() : null));
      }
    }
  }

  /**
   * Structured outputs: {@code output_config.format} (or the beta's {@code output_format}), a JSON
   * Schema the answer text must satisfy. Read from the body's JSON: releases older than structured
   * outputs carry it only as an additional body property, which the body's JSON includes.
   */
  static void mapOutputFormat(LlmCall call, JsonNode body) {
    JsonNode format = body.path("output_config").path("format");
    if (!format.isObject()) format = body.path("output_format");
    // Only the format object is read again as the core reads it, never the (large) rest of the body.
    if (format.isObject()) DeclaredStructures.anthropicFormat(call, DeclaredStructures.parse(format.toString()));
  }

  private static void addBlock(LlmMessage out, JsonNode block) {
    String type = block.path("type").asText();
    switch (type) {
      case "text":
        out.add(LlmMessage.Part.text(block.path("text").asText()));
        break;
      case "tool_use":
        out.add(LlmMessage.Part.toolCall(block.path("id").asText(null), block.path("name").asText(null),
            block.path("input").toString()));
        break;
      case "tool_result": {
        JsonNode result = block.path("content");
        String text = result.isTextual() ? result.asText() : textOf(result);
        out.add(LlmMessage.Part.toolCallResponse(block.path("tool_use_id").asText(null), text));
        // A tool may answer with images or documents too: they are sent, so they count.
        if (result.isArray()) {
          for (JsonNode inner : result) {
            String innerType = inner.path("type").asText();
            if ("image".equals(innerType) || "document".equals(innerType)) addBlock(out, inner);
          }
        }
        break;
      }
      case "image":
        out.add(media(LlmMessage.Part.MODALITY_IMAGE, block.path("source")));
        break;
      case "document": {
        JsonNode source = block.path("source");
        if ("content".equals(source.path("type").asText())) {
          // A document given as content blocks (text, images): each block counts as such.
          JsonNode blocks = source.path("content");
          if (blocks.isTextual()) {
            out.add(LlmMessage.Part.text(blocks.asText()));
          } else {
            for (JsonNode inner : blocks) addBlock(out, inner);
          }
        } else {
          out.add(media(LlmMessage.Part.MODALITY_DOCUMENT, source));
        }
        break;
      }
      default:
        break; // thinking and other blocks: not part of the prompt to capture
    }
  }

  /**
   * An image or document block's {@code source}: {@code base64} data (a blob of its
   * {@code media_type}, hashed as sent, never kept), a {@code url}, an uploaded {@code file}
   * ({@code file_id}), or a document's plain {@code text} (a blob hashed and sized as its UTF-8
   * text); null for any other source.
   */
  static LlmMessage.Part media(String modality, JsonNode source) {
    String kind = source.path("type").asText();
    String mimeType = AnthropicJson.textOrNull(source.get("media_type"));
    switch (kind) {
      case "base64":
        return MediaParts.inline(modality, mimeType, AnthropicJson.textOrNull(source.get("data")));
      case "url":
        return MediaParts.fromUrl(modality, mimeType, AnthropicJson.textOrNull(source.get("url")));
      case "file": {
        String fileId = AnthropicJson.textOrNull(source.get("file_id"));
        return fileId == null ? null : LlmMessage.Part.file(modality, mimeType, fileId);
      }
      case "text": {
        String text = AnthropicJson.textOrNull(source.get("data"));
        if (text == null) return null;
        return LlmMessage.Part.blob(modality, mimeType != null ? mimeType : "text/plain", MediaParts.sha256Hex(text),
            utf8Length(text));
      }
      default:
        return null;
    }
  }

  /** The UTF-8 size of a text, without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static String textOf(JsonNode blocks) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode block : blocks) {
      if (block.path("text").isTextual()) {
        if (sb.length() > 0) sb.append('\n');
        sb.append(block.path("text").asText());
      }
    }
    return sb.toString();
  }

  /** Each part on its own: one field of an unexpected shape loses only that field. */
  static void response(LlmCall call, Object message) {
    JsonNode m;
    try {
      m = AnthropicJson.tree(message);
    } catch (Throwable t) {
      // The SDK could not write its own value back: the provider sent a shape it cannot read.
      AnthropicErrors.badField(call, "anthropic message", t, true);
      return;
    }
    call.response().responseId(AnthropicJson.textOrNull(m.get("id")));
    call.response().responseModel(AnthropicJson.textOrNull(m.get("model")));
    String stopReason = AnthropicJson.textOrNull(m.get("stop_reason"));
    call.response().addFinishReason(stopReason);
    if (!m.path("content").isArray()) {
      // The app's first read of content() fails with the SDK's own exception: so does the span.
      call.response().unusableResponse(new AnthropicInvalidDataException("'content' is not an array"));
    }
    boolean capture = LlmOtelConfig.get().captureContent();
    LlmMessage out = capture ? new LlmMessage("assistant").finishReason(stopReason) : null;
    // Capture on or off: the answer's text and tool calls are checked against what the request declared.
    for (JsonNode block : m.path("content")) {
      String type = block.path("type").asText();
      if ("tool_use".equals(type)) {
        String id = AnthropicJson.textOrNull(block.get("id"));
        String name = AnthropicJson.textOrNull(block.get("name"));
        String input = block.path("input").toString();
        call.response().addToolCallId(id);
        call.response().answerToolCall(name, input);
        if (out != null) out.add(LlmMessage.Part.toolCall(id, name, input));
      } else if ("text".equals(type)) {
        String text = block.path("text").asText();
        call.response().answerText(0, text);
        if (out != null) out.add(LlmMessage.Part.text(text));
      }
    }
    if (out != null) call.response().addOutputMessage(out);
    usage(call, m.path("usage"));
  }

  /** See {@link ProviderUsage#inputExcludesCache}. */
  static void usage(LlmCall call, JsonNode usage) {
    ProviderUsage.inputExcludesCache(call, AnthropicJson.longOrNull(usage.get("input_tokens")),
        AnthropicJson.longOrNull(usage.get("cache_read_input_tokens")),
        AnthropicJson.longOrNull(usage.get("cache_creation_input_tokens")),
        AnthropicJson.longOrNull(usage.get("output_tokens")));
  }

  private MessageMapper() {}
}
