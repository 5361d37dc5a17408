package dev.llmotel.instrumentation.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonMissing;
import com.openai.core.ObjectMappers;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ToolDefinition;

/**
 * Reads SDK objects through their OpenAI wire JSON. The SDK's own mapper serialises any of its
 * model classes to the wire form, which has stayed the same while the Java types changed between
 * SDK majors (tool calls became unions in 3.x), so this is how we stay compatible across 1.x-4.x.
 */
final class OpenAiJson {
  /** The wire JSON of an SDK object, or null for an absent field (which Jackson refuses). */
  static JsonNode tree(Object sdkObject) {
    if (sdkObject == null || sdkObject instanceof JsonMissing) return null;
    return ObjectMappers.jsonMapper().valueToTree(sdkObject);
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? null : (v.isTextual() ? v.asText() : v.toString());
  }

  /** Text of an OpenAI "content" value: a string, or an array of parts of which the text ones count. */
  static String contentText(JsonNode content) {
    if (content == null || content.isNull()) return null;
    if (content.isTextual()) return content.asText();
    if (content.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (JsonNode part : content) {
        String t = text(part, "text");
        if (t != null) sb.append(t);
      }
      return sb.toString();
    }
    return content.toString();
  }

  /** An OpenAI chat message (request side) as a semconv message; null for system/developer. */
  static LlmMessage chatMessage(JsonNode msg) {
    String role = text(msg, "role");
    LlmMessage m = new LlmMessage(role == null ? "user" : role);
    if ("tool".equals(role)) {
      m.add(LlmMessage.Part.toolCallResponse(text(msg, "tool_call_id"), contentText(msg.get("content"))));
      return m;
    }
    addContent(m, msg.get("content"));
    addToolCalls(m, msg.get("tool_calls"));
    return m;
  }

  /**
   * A message's content as parts, in order: a string is one text part; in an array of parts, adjacent
   * text parts are joined into one (as {@link #contentText} joins them) and media parts
   * ({@link #mediaPart}) keep their place.
   */
  static void addContent(LlmMessage m, JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) return;
    if (!content.isArray()) {
      m.add(LlmMessage.Part.text(content.isTextual() ? content.asText() : content.toString()));
      return;
    }
    StringBuilder sb = null;
    for (JsonNode part : content) {
      String t = text(part, "text");
      if (t != null) {
        if (sb == null) sb = new StringBuilder();
        sb.append(t);
        continue;
      }
      LlmMessage.Part media = mediaPart(part);
      if (media == null) continue;
      if (sb != null) m.add(LlmMessage.Part.text(sb.toString()));
      sb = null;
      m.add(media);
    }
    if (sb != null) m.add(LlmMessage.Part.text(sb.toString()));
  }

  /**
   * A media part of a chat-completions or Responses message, or null for any other part: an image
   * ({@code image_url}: an object with {@code url} in chat completions, a string in Responses'
   * {@code input_image}, which may name an uploaded {@code file_id} instead), audio
   * ({@code input_audio}: base64 {@code data} and its {@code format}), a file ({@code file} in chat
   * completions, {@code input_file} in Responses: inline {@code file_data}, an uploaded
   * {@code file_id}, or a {@code file_url}). A {@code data:} URL is inline data: hashed, never kept.
   */
  static LlmMessage.Part mediaPart(JsonNode part) {
    String type = text(part, "type");
    if (type == null) return null;
    switch (type) {
      case "image_url":
      case "input_image": {
        JsonNode image = part.get("image_url");
        String url = image != null && image.isObject() ? text(image, "url") : text(part, "image_url");
        if (url != null) return MediaParts.fromUrl(LlmMessage.Part.MODALITY_IMAGE, null, url);
        String fileId = text(part, "file_id");
        return fileId == null ? null : LlmMessage.Part.file(LlmMessage.Part.MODALITY_IMAGE, null, fileId);
      }
      case "input_audio": {
        JsonNode audio = part.get("input_audio");
        String data = text(audio, "data");
        if (data == null) return null;
        return MediaParts.inline(LlmMessage.Part.MODALITY_AUDIO, audioMimeType(text(audio, "format")), data);
      }
      case "file":
      case "input_file": {
        JsonNode file = "file".equals(type) ? part.get("file") : part;
        String data = text(file, "file_data");
        if (data != null) {
          return MediaParts.isDataUri(data) ? MediaParts.fromDataUri(LlmMessage.Part.MODALITY_DOCUMENT, data)
              : MediaParts.inline(LlmMessage.Part.MODALITY_DOCUMENT, null, data);
        }
        String fileId = text(file, "file_id");
        if (fileId != null) return LlmMessage.Part.file(LlmMessage.Part.MODALITY_DOCUMENT, null, fileId);
        String url = text(file, "file_url");
        return url == null ? null : MediaParts.fromUrl(LlmMessage.Part.MODALITY_DOCUMENT, null, url);
      }
      default:
        return null;
    }
  }

  /** The MIME type of OpenAI's audio {@code format} names ({@code wav}, {@code mp3}). */
  static String audioMimeType(String format) {
    if (format == null || format.isEmpty()) return null;
    return "mp3".equals(format) ? "audio/mpeg" : "audio/" + format;
  }

  static void addToolCalls(LlmMessage m, JsonNode toolCalls) {
    if (toolCalls == null || !toolCalls.isArray()) return;
    for (JsonNode tc : toolCalls) {
      m.add(toolCall(tc));
    }
  }

  static LlmMessage.Part toolCall(JsonNode tc) {
    if (tc == null) return null;
    JsonNode fn = tc.get("function");
    if (fn == null) fn = tc.get("custom");
    return LlmMessage.Part.toolCall(text(tc, "id"), text(fn, "name"),
        fn == null ? null : (fn.has("arguments") ? text(fn, "arguments") : text(fn, "input")));
  }

  static ToolDefinition toolDefinition(JsonNode tool) {
    if (tool == null) return new ToolDefinition(null, null, null, null);
    String type = text(tool, "type");
    JsonNode fn = tool.get("function");
    if (fn == null) fn = tool.get("custom");
    if (fn == null) fn = tool; // Responses API tools are flat
    JsonNode params = fn.get("parameters");
    return new ToolDefinition(type, text(fn, "name"), text(fn, "description"),
        params == null ? null : params.toString());
  }

  /**
   * A JSON value of the SDK as plain Java values (maps, lists, strings, numbers, booleans, null), by
   * the SDK's own visitor: no Jackson serializer is looked up for it (for a schema's nested maps
   * that lookup costs more than the rest of the call's mapping).
   */
  static Object plain(com.openai.core.JsonValue value) {
    return value == null ? null : value.accept(PLAIN);
  }

  private static final com.openai.core.JsonValue.Visitor<Object> PLAIN = new com.openai.core.JsonValue.Visitor<Object>() {
    @Override public Object visitNull() { return null; }
    @Override public Object visitMissing() { return null; }
    @Override public Object visitBoolean(boolean value) { return value; }
    @Override public Object visitNumber(Number value) { return value; }
    @Override public Object visitString(String value) { return value; }

    @Override
    public Object visitArray(java.util.List<? extends com.openai.core.JsonValue> values) {
      java.util.List<Object> out = new java.util.ArrayList<>(values.size());
      for (com.openai.core.JsonValue v : values) out.add(plain(v));
      return out;
    }

    @Override
    public Object visitObject(java.util.Map<String, ? extends com.openai.core.JsonValue> values) {
      return plain(values);
    }
  };

  static java.util.Map<String, Object> plain(java.util.Map<String, ? extends com.openai.core.JsonValue> values) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (java.util.Map.Entry<String, ? extends com.openai.core.JsonValue> e : values.entrySet()) {
      out.put(e.getKey(), plain(e.getValue()));
    }
    return out;
  }

  /** Chat completions' response_format as the wire has it ({"type": ..., "json_schema": {"schema": ...}}), for the core. */
  static java.util.Map<String, Object> responseFormat(
      com.openai.models.chat.completions.ChatCompletionCreateParams.ResponseFormat format) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    if (format.isJsonSchema()) {
      out.put("type", "json_schema");
      java.util.Map<String, Object> jsonSchema = new java.util.LinkedHashMap<>();
      format.asJsonSchema().jsonSchema().schema().ifPresent(s -> jsonSchema.put("schema", plain(s._additionalProperties())));
      out.put("json_schema", jsonSchema);
    } else if (format.isJsonObject()) {
      out.put("type", "json_object");
    } else if (format.isText()) {
      out.put("type", "text");
    }
    return out;
  }

  /** The Responses API's text.format as the wire has it ({"type": ..., "schema": ...}), for the core. */
  static java.util.Map<String, Object> textFormat(com.openai.models.responses.ResponseFormatTextConfig format) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    if (format.isJsonSchema()) {
      out.put("type", "json_schema");
      out.put("schema", plain(format.asJsonSchema().schema()._additionalProperties()));
    } else if (format.isJsonObject()) {
      out.put("type", "json_object");
    } else if (format.isText()) {
      out.put("type", "text");
    }
    return out;
  }

  /**
   * Whether the server sent a value for this field, which the SDK's accessor of a required field then reads
   * (its check throws only without one): checked first, a compatible server that leaves a choice's index out
   * (one choice, at 0, or its choices in order) costs neither an exception nor an Optional per chunk.
   */
  static boolean hasValue(com.openai.core.JsonField<?> field) {
    return !field.isMissing() && !field.isNull();
  }

  private OpenAiJson() {}
}
