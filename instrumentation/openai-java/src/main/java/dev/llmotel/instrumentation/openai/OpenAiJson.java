package dev.llmotel.instrumentation.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.JsonMissing;
import com.openai.core.ObjectMappers;
import dev.llmotel.core.LlmMessage;
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
    String content = contentText(msg.get("content"));
    if (content != null) m.add(LlmMessage.Part.text(content));
    addToolCalls(m, msg.get("tool_calls"));
    return m;
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

  private OpenAiJson() {}
}
