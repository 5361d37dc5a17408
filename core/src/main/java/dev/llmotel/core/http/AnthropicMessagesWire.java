package dev.llmotel.core.http;

import static dev.llmotel.core.http.JsonMaps.doubleValue;
import static dev.llmotel.core.http.JsonMaps.list;
import static dev.llmotel.core.http.JsonMaps.longValue;
import static dev.llmotel.core.http.JsonMaps.map;
import static dev.llmotel.core.http.JsonMaps.string;
import static dev.llmotel.core.http.JsonMaps.text;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ProviderUsage;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.core.output.StreamedToolCalls;
import dev.llmotel.semconv.GenAiValues;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Anthropic's Messages API ({@code /v1/messages}). */
final class AnthropicMessagesWire implements WireFormat {
  static final AnthropicMessagesWire INSTANCE = new AnthropicMessagesWire();

  @Override
  public String name() {
    return "anthropic-messages";
  }

  @Override
  public String operation() {
    return GenAiValues.OPERATION_CHAT;
  }

  /** {@code model}, {@code messages} (an array of objects) and {@code max_tokens} (a number): all required by the API. */
  @Override
  public boolean isRequest(Map<?, ?> body, String pathModel) {
    return JsonMaps.namesModel(body, pathModel) && JsonMaps.isListOfObjects(body.get("messages"))
        && body.get("max_tokens") instanceof Number;
  }

  @Override
  public void request(LlmCall call, Map<?, ?> body, String pathModel) {
    String model = string(body.get("model"));
    call.request().requestModel(model != null ? model : pathModel);
    call.request().maxTokens(longValue(body.get("max_tokens")));
    call.request().temperature(doubleValue(body.get("temperature")));
    call.request().topP(doubleValue(body.get("top_p")));
    call.request().stopSequences(JsonMaps.strings(body.get("stop_sequences")));
    Object system = body.get("system");
    String systemText = system instanceof String ? (String) system : OpenAiChatWire.contentText(system);
    if (systemText != null) call.request().systemInstructions().add(LlmMessage.Part.text(systemText));
    for (Object m : list(body.get("messages"))) {
      Map<?, ?> message = map(m);
      LlmMessage out = new LlmMessage(string(message.get("role")) == null ? "user" : string(message.get("role")));
      Object content = message.get("content");
      if (content instanceof String) out.add(LlmMessage.Part.text((String) content));
      for (Object b : list(content)) addBlock(out, map(b));
      call.request().inputMessages().add(out);
    }
    DeclaredStructures.anthropic(call, body);
    for (Object t : list(body.get("tools"))) {
      String name = string(map(t).get("name"));
      if (name != null) {
        call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, name,
            string(map(t).get("description")), text(map(t).get("input_schema"))));
      }
    }
  }

  private static void addBlock(LlmMessage out, Map<?, ?> block) {
    String type = string(block.get("type"));
    if ("text".equals(type) && string(block.get("text")) != null) {
      out.add(LlmMessage.Part.text(string(block.get("text"))));
    } else if ("tool_use".equals(type)) {
      out.add(LlmMessage.Part.toolCall(string(block.get("id")), string(block.get("name")), text(block.get("input"))));
    } else if ("tool_result".equals(type)) {
      Object content = block.get("content");
      String result = content instanceof String ? (String) content : OpenAiChatWire.contentText(content);
      out.add(LlmMessage.Part.toolCallResponse(string(block.get("tool_use_id")), result));
    } else if ("image".equals(type)) {
      out.add(media(LlmMessage.Part.MODALITY_IMAGE, map(block.get("source"))));
    } else if ("document".equals(type)) {
      out.add(media(LlmMessage.Part.MODALITY_DOCUMENT, map(block.get("source"))));
    }
  }

  /**
   * An image or document block's {@code source}: {@code base64} data (a blob of its
   * {@code media_type}), a {@code url}, an uploaded {@code file} ({@code file_id}), or a document's
   * plain {@code text} (a blob hashed and sized as its UTF-8 text); null for any other source.
   */
  static LlmMessage.Part media(String modality, Map<?, ?> source) {
    String kind = string(source.get("type"));
    String mimeType = string(source.get("media_type"));
    if ("base64".equals(kind)) {
      return MediaParts.inline(modality, mimeType, string(source.get("data")));
    }
    if ("url".equals(kind)) {
      return MediaParts.fromUrl(modality, mimeType, string(source.get("url")));
    }
    if ("file".equals(kind)) {
      String fileId = string(source.get("file_id"));
      return fileId == null ? null : LlmMessage.Part.file(modality, mimeType, fileId);
    }
    if ("text".equals(kind)) {
      String text = string(source.get("data"));
      if (text == null) return null;
      return LlmMessage.Part.blob(modality, mimeType != null ? mimeType : "text/plain", MediaParts.sha256Hex(text),
          text.getBytes(StandardCharsets.UTF_8).length);
    }
    return null;
  }

  @Override
  public boolean streamRequested(Map<?, ?> body, String path) {
    return Boolean.TRUE.equals(body.get("stream"));
  }

  @Override
  public void response(LlmCall call, Map<?, ?> body) {
    call.response().responseId(string(body.get("id")));
    call.response().responseModel(string(body.get("model")));
    String stop = string(body.get("stop_reason"));
    call.response().addFinishReason(stop);
    LlmMessage out = LlmOtelConfig.get().captureContent() ? new LlmMessage("assistant").finishReason(stop) : null;
    for (Object b : list(body.get("content"))) {
      Map<?, ?> block = map(b);
      String type = string(block.get("type"));
      if ("tool_use".equals(type)) {
        call.response().addToolCallId(string(block.get("id")));
        call.response().answerToolCall(string(block.get("name")), text(block.get("input")));
      } else if ("text".equals(type)) {
        call.response().answerText(0, string(block.get("text")));
      }
      if (out != null) addBlock(out, block);
    }
    if (out != null) call.response().addOutputMessage(out);
    usage(call, map(body.get("usage")), null);
  }

  static void usage(LlmCall call, Map<?, ?> usage, Long outputOverride) {
    ProviderUsage.inputExcludesCache(call, longValue(usage.get("input_tokens")),
        longValue(usage.get("cache_read_input_tokens")), longValue(usage.get("cache_creation_input_tokens")),
        outputOverride != null ? outputOverride : longValue(usage.get("output_tokens")));
  }

  @Override
  public String errorBody(int status, String message) {
    String type = status == 429 ? "rate_limit_error" : status == 529 || status == 503 ? "overloaded_error"
        : status >= 500 ? "api_error" : "invalid_request_error";
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":"
        + dev.llmotel.core.Json.write(message) + "}}";
  }

  @Override
  public String toolCallBody(String model, String tool) {
    return "{\"id\":\"msg_llm_otel_fault\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + dev.llmotel.core.Json.write(model == null ? "unknown" : model) + ",\"content\":[{\"type\":\"tool_use\","
        + "\"id\":\"toolu_llm_otel_fault\",\"name\":" + dev.llmotel.core.Json.write(tool) + ",\"input\":{}}],"
        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}";
  }

  @Override
  public StreamEvents stream(LlmCall call) {
    return new Events(call);
  }

  /**
   * message_start (id, model, input usage), content deltas, message_delta (stop reason, output
   * usage), message_stop. The characters of every text and tool-input delta are counted, capture on
   * or off, for the estimate of a stream closed before its usage: from the parsed delta when it is
   * parsed, else by {@link SseParser#stringChars} over its raw data (a delta is one of {@code text},
   * {@code partial_json}, {@code thinking}, {@code signature} or a citation, and only the first two
   * names are counted; thinking is not, as no format counts reasoning text).
   */
  static final class Events implements StreamEvents {
    private static final String TEXT = "\"text\"";
    private static final String PARTIAL_JSON = "\"partial_json\"";
    private final LlmCall call;
    private final StringBuilder text = LlmOtelConfig.get().captureContent() ? new StringBuilder() : null;
    private final StreamedToolCalls toolCalls;
    /** Content deltas are read: captured, or checked against a declared structure or tool schema. */
    private final boolean readDeltas;
    private Map<?, ?> startUsage = java.util.Collections.emptyMap();
    private String stop;
    private boolean done;

    Events(LlmCall call) {
      this.call = call;
      this.toolCalls = new StreamedToolCalls(!call.request().toolDefinitions().isEmpty());
      this.readDeltas = text != null || call.request().checksAnswer() || call.response().keepsAnswerText();
    }

    /** Content deltas say nothing unless {@link #readDeltas}; every other event is read. */
    @Override
    public boolean wants(String event, String rawData) {
      return readDeltas || !"content_block_delta".equals(event);
    }

    @Override
    public void onEvent(String event, Map<?, ?> data, String rawData) {
      if (data == null) {
        // A content delta, not parsed (wants): counted from its raw data.
        if ("content_block_delta".equals(event) && rawData != null) {
          call.response().addOutputCharacters(SseParser.stringChars(rawData, TEXT) + SseParser.stringChars(rawData, PARTIAL_JSON));
        }
        return;
      }
      String type = string(data.get("type"));
      if ("message_start".equals(type)) {
        Map<?, ?> message = map(data.get("message"));
        call.response().responseId(string(message.get("id")));
        call.response().responseModel(string(message.get("model")));
        startUsage = map(message.get("usage"));
        // Its output_tokens is a placeholder (1): the count comes with message_delta, and a stream
        // closed before it has its output estimated rather than claimed as 1.
        ProviderUsage.inputExcludesCache(call, longValue(startUsage.get("input_tokens")),
            longValue(startUsage.get("cache_read_input_tokens")),
            longValue(startUsage.get("cache_creation_input_tokens")), null);
      } else if ("content_block_start".equals(type)) {
        Map<?, ?> block = map(data.get("content_block"));
        if ("tool_use".equals(string(block.get("type")))) {
          call.response().addToolCallId(string(block.get("id")));
          toolCalls.delta(0, blockIndex(data), string(block.get("name")), null);
        }
      } else if ("content_block_delta".equals(type)) {
        Map<?, ?> delta = map(data.get("delta"));
        String piece = string(delta.get("text"));
        String json = string(delta.get("partial_json"));
        if (piece != null) call.response().addOutputCharacters(piece.length());
        if (json != null) call.response().addOutputCharacters(json.length());
        call.response().answerText(0, piece);
        if (json != null) toolCalls.delta(0, blockIndex(data), null, json);
        if (piece != null && text != null) text.append(piece);
      } else if ("message_delta".equals(type)) {
        String reason = string(map(data.get("delta")).get("stop_reason"));
        if (reason != null) stop = reason;
        Long output = longValue(map(data.get("usage")).get("output_tokens"));
        if (output != null) usage(call, startUsage, output);
      } else if ("message_stop".equals(type)) {
        done = true;
      }
    }

    @Override
    public boolean finished() {
      return done;
    }

    private static long blockIndex(Map<?, ?> event) {
      Long index = longValue(event.get("index"));
      return index == null ? 0 : index;
    }

    @Override
    public void finish() {
      call.response().addFinishReason(stop);
      toolCalls.finish(call.response());
      if (text != null) {
        call.response().addOutputMessage(new LlmMessage("assistant").finishReason(stop).add(LlmMessage.Part.text(text.toString())));
      }
    }
  }
}
