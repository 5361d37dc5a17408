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
import dev.llmotel.core.output.OpenApiSchemas;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.semconv.GenAiValues;
import java.util.Locale;
import java.util.Map;

/** Gemini's generateContent and streamGenerateContent (Gemini API and Vertex AI); the model is in the path. */
final class GeminiWire implements WireFormat {
  static final GeminiWire INSTANCE = new GeminiWire();

  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public String operation() {
    return GenAiValues.OPERATION_GENERATE_CONTENT;
  }

  /** {@code contents}, an array of objects (the model is in the path). */
  @Override
  public boolean isRequest(Map<?, ?> body, String pathModel) {
    return JsonMaps.isListOfObjects(body.get("contents"));
  }

  @Override
  public void request(LlmCall call, Map<?, ?> body, String pathModel) {
    call.request().requestModel(pathModel);
    Map<?, ?> config = map(body.get("generationConfig"));
    call.request().temperature(doubleValue(config.get("temperature")));
    call.request().topP(doubleValue(config.get("topP")));
    call.request().maxTokens(longValue(config.get("maxOutputTokens")));
    call.request().seed(longValue(config.get("seed")));
    call.request().stopSequences(JsonMaps.strings(config.get("stopSequences")));
    DeclaredStructures.gemini(call, config);
    Long candidates = longValue(config.get("candidateCount"));
    if (candidates != null && candidates != 1) call.request().choiceCount(candidates);
    for (Object p : list(map(body.get("systemInstruction")).get("parts"))) {
      String t = string(map(p).get("text"));
      if (t != null) call.request().systemInstructions().add(LlmMessage.Part.text(t));
    }
    for (Object c : list(body.get("contents"))) {
      Map<?, ?> content = map(c);
      String role = string(content.get("role"));
      LlmMessage out = new LlmMessage("model".equals(role) ? "assistant" : role == null ? "user" : role);
      for (Object p : list(content.get("parts"))) addPart(out, map(p));
      call.request().inputMessages().add(out);
    }
    for (Object t : list(body.get("tools"))) {
      for (Object f : list(map(t).get("functionDeclarations"))) {
        String name = string(map(f).get("name"));
        if (name != null) {
          String parameters = text(map(f).get("parameters"));
          String jsonSchema = text(map(f).get("parametersJsonSchema"));
          call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, name,
              string(map(f).get("description")), parameters != null ? parameters : jsonSchema,
              parameters != null ? OpenApiSchemas.toJsonSchema(parameters) : jsonSchema));
        }
      }
    }
  }

  /** Each candidate's parts: its text (not thoughts) and function calls, for the check. */
  static void answer(LlmCall call, int candidate, Map<?, ?> part) {
    if (part.get("functionCall") instanceof Map) {
      Map<?, ?> f = map(part.get("functionCall"));
      call.response().answerToolCall(string(f.get("name")), text(f.get("args")));
    } else if (!Boolean.TRUE.equals(part.get("thought"))) {
      call.response().answerText(candidate, string(part.get("text")));
    }
  }

  private static void addPart(LlmMessage out, Map<?, ?> part) {
    if (Boolean.TRUE.equals(part.get("thought"))) return;
    if (string(part.get("text")) != null) {
      out.add(LlmMessage.Part.text(string(part.get("text"))));
    } else if (part.get("functionCall") instanceof Map) {
      Map<?, ?> f = map(part.get("functionCall"));
      out.add(LlmMessage.Part.toolCall(string(f.get("id")), string(f.get("name")), text(f.get("args"))));
    } else if (part.get("functionResponse") instanceof Map) {
      Map<?, ?> r = map(part.get("functionResponse"));
      out.add(LlmMessage.Part.toolCallResponse(string(r.get("id")), text(r.get("response"))));
    } else if (part.get("inlineData") instanceof Map || part.get("inline_data") instanceof Map) {
      Map<?, ?> d = map(part.get("inlineData") instanceof Map ? part.get("inlineData") : part.get("inline_data"));
      out.add(MediaParts.inline(null, mimeType(d), string(d.get("data"))));
    } else if (part.get("fileData") instanceof Map || part.get("file_data") instanceof Map) {
      Map<?, ?> f = map(part.get("fileData") instanceof Map ? part.get("fileData") : part.get("file_data"));
      String uri = string(f.get("fileUri")) != null ? string(f.get("fileUri")) : string(f.get("file_uri"));
      out.add(MediaParts.fromUrl(null, mimeType(f), uri));
    }
  }

  /** A blob's or file's MIME type, in either spelling the REST API accepts. */
  private static String mimeType(Map<?, ?> data) {
    String camel = string(data.get("mimeType"));
    return camel != null ? camel : string(data.get("mime_type"));
  }

  @Override
  public boolean streamRequested(Map<?, ?> body, String path) {
    return path.contains(":streamGenerateContent");
  }

  @Override
  public void response(LlmCall call, Map<?, ?> body) {
    boolean capture = LlmOtelConfig.get().captureContent();
    ids(call, body);
    int index = 0;
    for (Object c : list(body.get("candidates"))) {
      Map<?, ?> candidate = map(c);
      String finish = finishReason(candidate);
      call.response().addFinishReason(finish);
      LlmMessage out = capture ? new LlmMessage("assistant").finishReason(finish) : null;
      int candidateIndex = index++;
      for (Object p : list(map(candidate.get("content")).get("parts"))) {
        Map<?, ?> part = map(p);
        answer(call, candidateIndex, part);
        if (part.get("functionCall") instanceof Map) call.response().addToolCallId(string(map(part.get("functionCall")).get("id")));
        if (out != null) addPart(out, part);
      }
      if (out != null) call.response().addOutputMessage(out);
    }
    usage(call, map(body.get("usageMetadata")));
  }

  static void ids(LlmCall call, Map<?, ?> body) {
    call.response().responseId(string(body.get("responseId")));
    call.response().responseModel(string(body.get("modelVersion")));
  }

  static String finishReason(Map<?, ?> candidate) {
    String reason = string(candidate.get("finishReason"));
    return reason == null ? null : reason.toLowerCase(Locale.ROOT);
  }

  static void usage(LlmCall call, Map<?, ?> usage) {
    ProviderUsage.gemini(call, longValue(usage.get("promptTokenCount")), longValue(usage.get("toolUsePromptTokenCount")),
        longValue(usage.get("candidatesTokenCount")), longValue(usage.get("thoughtsTokenCount")),
        longValue(usage.get("cachedContentTokenCount")));
  }

  @Override
  public String errorBody(int status, String message) {
    String state = status == 429 ? "RESOURCE_EXHAUSTED" : status == 503 ? "UNAVAILABLE" : status >= 500 ? "INTERNAL"
        : "INVALID_ARGUMENT";
    return "{\"error\":{\"code\":" + status + ",\"message\":" + dev.llmotel.core.Json.write(message)
        + ",\"status\":\"" + state + "\"}}";
  }

  @Override
  public String toolCallBody(String model, String tool) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":"
        + dev.llmotel.core.Json.write(tool) + ",\"args\":{}}}]},\"finishReason\":\"STOP\",\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":0,\"candidatesTokenCount\":0,\"totalTokenCount\":0},"
        + "\"modelVersion\":" + dev.llmotel.core.Json.write(model == null ? "unknown" : model) + "}";
  }

  @Override
  public StreamEvents stream(LlmCall call) {
    return new Chunks(call);
  }

  /**
   * Each event is a partial response; the last usage and finish reason are the call's. Every event
   * is parsed (each may carry usage), so the answer's characters (text parts but thoughts, function
   * call arguments as JSON) are counted from the parsed event, capture on or off.
   */
  static final class Chunks implements StreamEvents {
    private final LlmCall call;
    private final StringBuilder text = LlmOtelConfig.get().captureContent() ? new StringBuilder() : null;
    private Map<?, ?> usage = java.util.Collections.emptyMap();
    private String finish;

    Chunks(LlmCall call) {
      this.call = call;
    }

    @Override
    public void onEvent(String event, Map<?, ?> data, String rawData) {
      if (data == null) return;
      ids(call, data);
      if (data.get("usageMetadata") instanceof Map) usage = (Map<?, ?>) data.get("usageMetadata");
      for (Object c : list(data.get("candidates"))) {
        Map<?, ?> candidate = map(c);
        String reason = finishReason(candidate);
        if (reason != null) finish = reason;
        Long index = longValue(candidate.get("index"));
        for (Object p : list(map(candidate.get("content")).get("parts"))) {
          Map<?, ?> part = map(p);
          answer(call, index == null ? 0 : (int) Math.min(index, Integer.MAX_VALUE), part);
          if (part.get("functionCall") instanceof Map) {
            Map<?, ?> functionCall = map(part.get("functionCall"));
            call.response().addToolCallId(string(functionCall.get("id")));
            String args = text(functionCall.get("args"));
            if (args != null) call.response().addOutputCharacters(args.length());
          }
          String piece = string(part.get("text"));
          if (piece != null && !Boolean.TRUE.equals(part.get("thought"))) {
            call.response().addOutputCharacters(piece.length());
            if (text != null) text.append(piece);
          }
        }
      }
    }

    @Override
    public boolean finished() {
      return finish != null;
    }

    @Override
    public void finish() {
      call.response().addFinishReason(finish);
      usage(call, usage);
      if (text != null) {
        call.response().addOutputMessage(new LlmMessage("assistant").finishReason(finish).add(LlmMessage.Part.text(text.toString())));
      }
    }
  }
}
