package dev.llmotel.core;

import java.util.ArrayList;
import java.util.List;

/** A message in the GenAI semantic-convention schema: a role and typed parts. */
public final class LlmMessage {
  private final String role;
  private final List<Part> parts = new ArrayList<>();
  private String finishReason;

  public LlmMessage(String role) {
    this.role = role;
  }

  public String role() { return role; }
  public List<Part> parts() { return parts; }
  public String finishReason() { return finishReason; }
  public LlmMessage finishReason(String v) { this.finishReason = v; return this; }

  public LlmMessage add(Part part) {
    if (part != null) parts.add(part);
    return this;
  }

  /** One part of a message: text, a tool call the model asks for, or a tool's answer. */
  public static final class Part {
    public static final String TEXT = "text";
    public static final String TOOL_CALL = "tool_call";
    public static final String TOOL_CALL_RESPONSE = "tool_call_response";

    public final String type;
    public final String content;
    public final String id;
    public final String name;
    /** Tool call arguments as the provider sent them (usually a JSON string). */
    public final String arguments;

    private Part(String type, String content, String id, String name, String arguments) {
      this.type = type;
      this.content = content;
      this.id = id;
      this.name = name;
      this.arguments = arguments;
    }

    public static Part text(String content) { return new Part(TEXT, content, null, null, null); }

    public static Part toolCall(String id, String name, String arguments) {
      return new Part(TOOL_CALL, null, id, name, arguments);
    }

    public static Part toolCallResponse(String id, String response) {
      return new Part(TOOL_CALL_RESPONSE, response, id, null, null);
    }
  }
}
