package dev.llmotel.core.output;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.semconv.GenAiValues;
import java.util.Collections;
import java.util.Map;

/**
 * What a request declares about its answer's structure, read from the provider's own JSON (the
 * plain-HTTP layer's parsed body, or an SDK's request turned into JSON): one reading per provider
 * format, shared by the plain-HTTP layer and the SDK modules. Sets the call's output contract and
 * {@code gen_ai.output.type}.
 */
public final class DeclaredStructures {

  /**
   * OpenAI chat completions' {@code response_format}: {@code json_schema} (the answer must fit
   * {@code json_schema.schema}), {@code json_object} (a JSON object) or {@code text}.
   */
  public static void openAiChat(LlmCall call, Map<?, ?> responseFormat) {
    String type = string(responseFormat.get("type"));
    if ("json_schema".equals(type)) {
      json(call, OutputContract.schema(text(map(responseFormat.get("json_schema")).get("schema"))));
    } else {
      other(call, type);
    }
  }

  /**
   * OpenAI chat completions' {@code modalities}: an answer that includes audio is {@code speech}
   * (unless a response format already named the type).
   */
  public static void openAiModalities(LlmCall call, Object modalities) {
    if (call.request().outputType() != null || !(modalities instanceof java.util.List)) return;
    for (Object m : (java.util.List<?>) modalities) {
      if ("audio".equals(String.valueOf(m))) call.request().outputType(GenAiValues.OUTPUT_TYPE_SPEECH);
    }
  }

  /** The Responses API's {@code text.format}: as chat completions', the schema beside the type. */
  public static void openAiResponses(LlmCall call, Map<?, ?> format) {
    String type = string(format.get("type"));
    if ("json_schema".equals(type)) {
      json(call, OutputContract.schema(text(format.get("schema"))));
    } else {
      other(call, type);
    }
  }

  /** Anthropic's structured outputs: {@code output_config.format} (or the beta's {@code output_format}) of type json_schema. */
  public static void anthropic(LlmCall call, Map<?, ?> body) {
    Map<?, ?> format = map(map(body.get("output_config")).get("format"));
    anthropicFormat(call, format.isEmpty() ? map(body.get("output_format")) : format);
  }

  /** The format object itself (for an SDK that reads it from its own request without the rest of the body). */
  public static void anthropicFormat(LlmCall call, Map<?, ?> format) {
    if ("json_schema".equals(string(format.get("type")))) {
      json(call, OutputContract.schema(text(format.get("schema"))));
    }
  }

  /**
   * Gemini's generation config, for {@code responseMimeType: application/json}: the answer must fit
   * {@code responseJsonSchema} (JSON Schema), else {@code responseSchema} (Gemini's OpenAPI subset),
   * else be any JSON. With another MIME type a schema describes plain text ({@code text/x.enum}), not JSON.
   */
  public static void gemini(LlmCall call, Map<?, ?> generationConfig) {
    String mimeType = string(generationConfig.get("responseMimeType"));
    if (!"application/json".equals(mimeType)) {
      if (mimeType != null && mimeType.startsWith("text/")) call.request().outputType(GenAiValues.OUTPUT_TYPE_TEXT);
      return;
    }
    Object jsonSchema = generationConfig.get("responseJsonSchema") != null
        ? generationConfig.get("responseJsonSchema") : generationConfig.get("_responseJsonSchema");
    if (jsonSchema != null) {
      json(call, OutputContract.schema(text(jsonSchema)));
    } else if (generationConfig.get("responseSchema") != null) {
      json(call, OutputContract.schema(OpenApiSchemas.toJsonSchema(text(generationConfig.get("responseSchema")))));
    } else {
      json(call, OutputContract.anyJson());
    }
  }

  /** The same from JSON text (what an SDK's request object serialises to); nothing for null or text that is not an object. */
  public static Map<?, ?> parse(String json) {
    if (json == null) return Collections.emptyMap();
    try {
      return map(Json.parse(json));
    } catch (RuntimeException e) {
      return Collections.emptyMap();
    }
  }

  private static void json(LlmCall call, OutputContract contract) {
    call.request().outputType(GenAiValues.OUTPUT_TYPE_JSON);
    call.request().outputContract(contract);
  }

  private static void other(LlmCall call, String type) {
    if ("json_object".equals(type)) {
      json(call, OutputContract.jsonObject());
    } else if ("text".equals(type)) {
      call.request().outputType(GenAiValues.OUTPUT_TYPE_TEXT);
    }
  }

  private static Map<?, ?> map(Object v) {
    return v instanceof Map ? (Map<?, ?>) v : Collections.emptyMap();
  }

  private static String string(Object v) {
    return v instanceof String ? (String) v : null;
  }

  private static String text(Object v) {
    if (v == null) return null;
    return v instanceof String ? (String) v : Json.write(v);
  }

  private DeclaredStructures() {}
}
