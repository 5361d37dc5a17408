package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * Maps InvokeModel, whose bodies are each model family's own JSON. What every family shares is
 * read from the response headers Bedrock adds to all of them (input and output token counts);
 * the common request fields (Anthropic's and Amazon's names) and the conversation of Messages-style
 * bodies are read from the body, as are the families' stop reasons, and, for the Anthropic family,
 * what the answer is checked against (tools, a structured output) and the answer itself.
 */
final class InvokeModelMapper {
  static final String INPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Input-Token-Count";
  static final String OUTPUT_TOKENS_HEADER = "X-Amzn-Bedrock-Output-Token-Count";

  static LlmCall request(String serverUrl, String modelId, SdkBytes body, boolean streaming) {
    boolean embedding = modelId != null && modelId.toLowerCase(java.util.Locale.ROOT).contains("embed");
    LlmCall call = new LlmCall(GenAiValues.PROVIDER_AWS_BEDROCK,
        embedding ? GenAiValues.OPERATION_EMBEDDINGS : GenAiValues.OPERATION_CHAT);
    call.request().streaming(streaming);
    try {
      if (serverUrl != null) call.request().server(serverUrl);
      call.request().requestModel(modelId);
      Map<?, ?> json = object(body);
      if (json == null) return call;
      Map<?, ?> titan = json.get("textGenerationConfig") instanceof Map ? (Map<?, ?>) json.get("textGenerationConfig") : null;
      Map<?, ?> nova = json.get("inferenceConfig") instanceof Map ? (Map<?, ?>) json.get("inferenceConfig") : null;
      call.request().maxTokens(firstLong(json.get("max_tokens"), json.get("max_tokens_to_sample"), json.get("max_gen_len"),
          titan == null ? null : titan.get("maxTokenCount"), nova == null ? null : nova.get("max_new_tokens")));
      call.request().temperature(firstDouble(json.get("temperature"), titan == null ? null : titan.get("temperature"),
          nova == null ? null : nova.get("temperature")));
      call.request().topP(firstDouble(json.get("top_p"), titan == null ? null : titan.get("topP"),
          nova == null ? null : nova.get("topP")));
      if (json.get("dimensions") instanceof Number) call.response().embeddingDimensions(((Number) json.get("dimensions")).longValue());
      conversation(call, json);
      anthropicDeclarations(call, json);
    } catch (Throwable t) {
      SafeHooks.failed("bedrock invoke request mapping", t);
    }
    return call;
  }

  /** Messages-style bodies (Anthropic's, Amazon Nova's) and single prompts (Titan's inputText, others' prompt). */
  private static void conversation(LlmCall call, Map<?, ?> json) {
    Object system = json.get("system");
    if (system instanceof String) call.request().systemInstructions().add(LlmMessage.Part.text((String) system));
    if (system instanceof List) {
      for (Object block : (List<?>) system) {
        String text = block instanceof Map ? string(((Map<?, ?>) block).get("text")) : null;
        if (text != null) call.request().systemInstructions().add(LlmMessage.Part.text(text));
      }
    }
    if (json.get("messages") instanceof List) {
      for (Object m : (List<?>) json.get("messages")) {
        if (!(m instanceof Map)) continue;
        Map<?, ?> message = (Map<?, ?>) m;
        LlmMessage out = new LlmMessage(message.get("role") instanceof String ? (String) message.get("role") : "user");
        Object content = message.get("content");
        if (content instanceof String) out.add(LlmMessage.Part.text((String) content));
        if (content instanceof List) {
          for (Object block : (List<?>) content) {
            if (!(block instanceof Map)) continue;
            String text = string(((Map<?, ?>) block).get("text"));
            if (text != null) {
              out.add(LlmMessage.Part.text(text));
            } else {
              out.add(media((Map<?, ?>) block));
            }
          }
        }
        call.request().inputMessages().add(out);
      }
      return;
    }
    String prompt = string(json.get("inputText"));
    if (prompt == null) prompt = string(json.get("prompt"));
    if (prompt != null) call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(prompt)));
  }

  /**
   * What an Anthropic-family body declares the answer must satisfy: its tools' {@code input_schema}
   * and a structured output's JSON Schema ({@code output_config.format}, or the beta's {@code output_format}).
   */
  private static void anthropicDeclarations(LlmCall call, Map<?, ?> json) {
    for (Object t : list(json.get("tools"))) {
      Map<?, ?> tool = map(t);
      String name = string(tool.get("name"));
      if (name != null) {
        call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, name,
            string(tool.get("description")), text(tool.get("input_schema"))));
      }
    }
    DeclaredStructures.anthropic(call, json);
  }

  /**
   * A media block of a messages-style body, by what identifies it (base64 data hashed as sent, never
   * kept): Anthropic's ({@code type} image or document, with a {@code source} of type base64, url,
   * file or text) or Amazon Nova's ({@code image}, {@code video}, {@code document} or {@code audio}
   * with a {@code format} and a {@code source} of base64 {@code bytes} or an {@code s3Location}).
   * Null for any other block.
   */
  static LlmMessage.Part media(Map<?, ?> block) {
    String type = string(block.get("type"));
    if ("image".equals(type) || "document".equals(type)) {
      String modality = "image".equals(type) ? LlmMessage.Part.MODALITY_IMAGE : LlmMessage.Part.MODALITY_DOCUMENT;
      Map<?, ?> source = block.get("source") instanceof Map ? (Map<?, ?>) block.get("source") : null;
      if (source == null) return null;
      String kind = string(source.get("type"));
      String mimeType = string(source.get("media_type"));
      if ("base64".equals(kind)) return MediaParts.inline(modality, mimeType, string(source.get("data")));
      if ("url".equals(kind)) return MediaParts.fromUrl(modality, mimeType, string(source.get("url")));
      if ("file".equals(kind) && string(source.get("file_id")) != null) {
        return LlmMessage.Part.file(modality, mimeType, string(source.get("file_id")));
      }
      if ("text".equals(kind) && string(source.get("data")) != null) {
        String text = string(source.get("data"));
        return LlmMessage.Part.blob(modality, mimeType != null ? mimeType : "text/plain", MediaParts.sha256Hex(text),
            text.length());
      }
      return null;
    }
    String[][] kinds = {{"image", LlmMessage.Part.MODALITY_IMAGE}, {"video", LlmMessage.Part.MODALITY_VIDEO},
        {"document", LlmMessage.Part.MODALITY_DOCUMENT}, {"audio", LlmMessage.Part.MODALITY_AUDIO}};
    for (String[] kind : kinds) {
      if (!(block.get(kind[0]) instanceof Map)) continue;
      Map<?, ?> media = (Map<?, ?>) block.get(kind[0]);
      String format = string(media.get("format"));
      String mimeType = kind[1].equals(LlmMessage.Part.MODALITY_DOCUMENT) ? ConverseMapper.documentMimeType(format)
          : format == null ? null : kind[0] + "/" + ("mp3".equals(format) ? "mpeg" : format);
      Map<?, ?> source = media.get("source") instanceof Map ? (Map<?, ?>) media.get("source") : null;
      if (source == null) return LlmMessage.Part.blob(kind[1], mimeType, null, -1);
      if (string(source.get("bytes")) != null) return MediaParts.inline(kind[1], mimeType, string(source.get("bytes")));
      Map<?, ?> s3 = source.get("s3Location") instanceof Map ? (Map<?, ?>) source.get("s3Location") : null;
      String uri = s3 == null ? null : string(s3.get("uri"));
      return uri == null ? LlmMessage.Part.blob(kind[1], mimeType, null, -1) : LlmMessage.Part.uri(kind[1], mimeType, uri);
    }
    return null;
  }

  static void response(LlmCall call, Object result) {
    if (!(result instanceof InvokeModelResponse)) return;
    InvokeModelResponse response = (InvokeModelResponse) result;
    usageFromHeaders(call, response.sdkHttpResponse());
    Map<?, ?> json = object(response.body());
    if (json == null) return;
    String stop = string(json.get("stop_reason"));
    if (stop == null) stop = string(json.get("stopReason"));
    if (stop == null && json.get("results") instanceof List && !((List<?>) json.get("results")).isEmpty()
        && ((List<?>) json.get("results")).get(0) instanceof Map) {
      stop = string(((Map<?, ?>) ((List<?>) json.get("results")).get(0)).get("completionReason"));
    }
    call.response().addFinishReason(stop);
    call.response().responseModel(string(json.get("model")));
    if (json.get("embedding") instanceof List && call.response().embeddingDimensions() == null) {
      call.response().embeddingDimensions((long) ((List<?>) json.get("embedding")).size());
    }
    LlmMessage out = LlmOtelConfig.get().captureContent() && json.get("content") instanceof List
        ? new LlmMessage("assistant").finishReason(stop) : null;
    // Capture on or off: the Anthropic family's text and tool_use blocks are checked against what the request declared.
    for (Object b : list(json.get("content"))) {
      Map<?, ?> block = map(b);
      String text = string(block.get("text"));
      if ("tool_use".equals(string(block.get("type")))) {
        call.response().addToolCallId(string(block.get("id")));
        call.response().answerToolCall(string(block.get("name")), text(block.get("input")));
      }
      call.response().answerText(0, text);
      if (text != null && out != null) out.add(LlmMessage.Part.text(text));
    }
    if (out != null) call.response().addOutputMessage(out);
  }

  static void usageFromHeaders(LlmCall call, SdkHttpResponse http) {
    if (http == null) return;
    Long input = header(http, INPUT_TOKENS_HEADER);
    if (input == null) return;
    call.response().usage(input, GenAiValues.OPERATION_EMBEDDINGS.equals(call.operation()) ? null : header(http, OUTPUT_TOKENS_HEADER));
  }

  private static Long header(SdkHttpResponse http, String name) {
    try {
      return http.firstMatchingHeader(name).map(Long::valueOf).orElse(null);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Map<?, ?> object(SdkBytes body) {
    if (body == null) return null;
    try {
      Object parsed = Json.parse(body.asUtf8String());
      return parsed instanceof Map ? (Map<?, ?>) parsed : null;
    } catch (RuntimeException e) {
      return null; // not JSON: the model family's own format, nothing more to read
    }
  }

  static String string(Object v) {
    return v instanceof String ? (String) v : null;
  }

  static Map<?, ?> map(Object v) {
    return v instanceof Map ? (Map<?, ?>) v : java.util.Collections.emptyMap();
  }

  static List<?> list(Object v) {
    return v instanceof List ? (List<?>) v : java.util.Collections.emptyList();
  }

  /** JSON text of a parsed value (a schema, tool input); null stays null. */
  static String text(Object v) {
    return v == null ? null : Json.write(v);
  }

  private static Long firstLong(Object... values) {
    for (Object v : values) if (v instanceof Number) return ((Number) v).longValue();
    return null;
  }

  private static Double firstDouble(Object... values) {
    for (Object v : values) if (v instanceof Number) return ((Number) v).doubleValue();
    return null;
  }

  private InvokeModelMapper() {}
}
