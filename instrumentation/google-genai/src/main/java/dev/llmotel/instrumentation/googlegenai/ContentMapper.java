package dev.llmotel.instrumentation.googlegenai;

import com.google.genai.types.Blob;
import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.FileData;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ProviderUsage;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.core.output.OpenApiSchemas;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps generateContent requests and responses of the Google GenAI SDK onto the shared call model.
 * The SDK's types have had the same accessors from 1.0 to 2.0, so the mapping reads them directly.
 */
final class ContentMapper {
  static LlmCall request(String provider, String baseUrl, String model, List<Content> contents,
      GenerateContentConfig config, boolean streaming) {
    LlmCall call = new LlmCall(provider, GenAiValues.OPERATION_GENERATE_CONTENT);
    call.request().streaming(streaming);
    try {
      if (baseUrl != null) call.request().server(baseUrl);
      call.request().requestModel(modelName(model));
      if (config != null) {
        call.request().temperature(toDouble(config.temperature()));
        call.request().topP(toDouble(config.topP()));
        call.request().maxTokens(toLong(config.maxOutputTokens()));
        call.request().frequencyPenalty(toDouble(config.frequencyPenalty()));
        call.request().presencePenalty(toDouble(config.presencePenalty()));
        call.request().seed(toLong(config.seed()));
        Long candidates = toLong(config.candidateCount());
        if (candidates != null && candidates != 1) call.request().choiceCount(candidates);
        config.stopSequences().ifPresent(s -> { if (!s.isEmpty()) call.request().stopSequences(new ArrayList<>(s)); });
        config.responseMimeType().ifPresent(mime -> call.request().outputType(outputType(mime)));
        outputContract(call, config);
        config.systemInstruction().ifPresent(system -> {
          for (Part part : system.parts().orElse(java.util.Collections.<Part>emptyList())) {
            part.text().ifPresent(text -> call.request().systemInstructions().add(LlmMessage.Part.text(text)));
          }
        });
        for (Tool tool : config.tools().orElse(java.util.Collections.<Tool>emptyList())) {
          for (FunctionDeclaration f : tool.functionDeclarations().orElse(java.util.Collections.<FunctionDeclaration>emptyList())) {
            if (!f.name().isPresent()) continue;
            // parameters is Gemini's OpenAPI subset, checked as the JSON Schema it means; parametersJsonSchema
            // (JSON Schema already) has an accessor only from 2.0 on: read from the declaration's JSON.
            String parameters = f.parameters().isPresent() ? GeminiJson.write(f.parameters().get()) : null;
            String jsonSchema = parameters != null ? null : jsonText(GeminiJson.object(f).get("parametersJsonSchema"));
            call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, f.name().get(),
                f.description().orElse(null), parameters != null ? parameters : jsonSchema,
                parameters != null ? OpenApiSchemas.toJsonSchema(parameters) : jsonSchema));
          }
        }
      }
      // Always mapped: governance hashes and estimates them; only capture decides whether they are exported.
      if (contents != null) {
        for (Content content : contents) call.request().inputMessages().add(message(content));
      }
    } catch (Throwable t) {
      SafeHooks.failed("google-genai request mapping", t);
    }
    return call;
  }

  /** The API names models "models/x" or by their Vertex resource path; the model is its last segment. */
  static String modelName(String model) {
    if (model == null) return null;
    int slash = model.lastIndexOf('/');
    return slash >= 0 ? model.substring(slash + 1) : model;
  }

  /**
   * What a JSON answer must satisfy, read as the plain-HTTP layer reads the REST body: the config's JSON
   * has the same names in every SDK release (responseJsonSchema has an accessor only from 2.0 on).
   */
  private static void outputContract(LlmCall call, GenerateContentConfig config) {
    if (!"application/json".equals(config.responseMimeType().orElse(null))) return;
    DeclaredStructures.gemini(call, GeminiJson.object(config));
  }

  private static String jsonText(Object parsed) {
    return parsed == null ? null : Json.write(parsed);
  }

  private static String outputType(String mime) {
    if (mime.contains("json")) return GenAiValues.OUTPUT_TYPE_JSON;
    if (mime.startsWith("text/")) return GenAiValues.OUTPUT_TYPE_TEXT;
    return mime;
  }

  /** Gemini's roles are "user" and "model"; the conventions call the model's turns "assistant". */
  static LlmMessage message(Content content) {
    String role = content.role().orElse("user");
    LlmMessage out = new LlmMessage("model".equals(role) ? "assistant" : role);
    for (Part part : content.parts().orElse(java.util.Collections.<Part>emptyList())) {
      if (part.thought().orElse(false)) continue; // the model's thinking is not part of the conversation
      if (part.text().isPresent()) {
        out.add(LlmMessage.Part.text(part.text().get()));
      } else if (part.functionCall().isPresent()) {
        FunctionCall f = part.functionCall().get();
        out.add(LlmMessage.Part.toolCall(f.id().orElse(null), f.name().orElse(null), GeminiJson.write(f.args().orElse(null))));
      } else if (part.functionResponse().isPresent()) {
        FunctionResponse r = part.functionResponse().get();
        out.add(LlmMessage.Part.toolCallResponse(r.id().orElse(null), GeminiJson.write(r.response().orElse(null))));
      } else if (part.inlineData().isPresent()) {
        out.add(inlineData(part.inlineData().get()));
      } else if (part.fileData().isPresent()) {
        out.add(fileData(part.fileData().get()));
      }
    }
    return out;
  }

  /** Inline media (the SDK holds the decoded bytes): hashed (SHA-256) and sized, never kept. */
  static LlmMessage.Part inlineData(Blob blob) {
    String mimeType = blob.mimeType().orElse(null);
    return MediaParts.inlineBytes(null, mimeType, blob.data().orElse(null));
  }

  /**
   * Media by reference: a Files API URI, a Cloud Storage {@code gs://} URI or a web URL (a YouTube
   * video, say), as a URI part; the modality from its MIME type (a document when none is given).
   */
  static LlmMessage.Part fileData(FileData file) {
    String mimeType = file.mimeType().orElse(null);
    String modality = MediaParts.modalityOf(mimeType);
    return MediaParts.fromUrl(modality != null ? modality : LlmMessage.Part.MODALITY_DOCUMENT, mimeType,
        file.fileUri().orElse(null));
  }

  /** A whole (non-streamed) response. Each part on its own: an odd field loses only that field. */
  static void response(LlmCall call, Object result) {
    if (!(result instanceof GenerateContentResponse)) return;
    GenerateContentResponse response = (GenerateContentResponse) result;
    ids(call, response);
    boolean capture = LlmOtelConfig.get().captureContent();
    List<Candidate> candidates = response.candidates().orElse(java.util.Collections.<Candidate>emptyList());
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      String finish = finishReason(candidate);
      call.response().addFinishReason(finish);
      LlmMessage out = capture ? new LlmMessage("assistant").finishReason(finish) : null;
      Optional<Content> content = candidate.content();
      if (content.isPresent()) {
        for (Part part : content.get().parts().orElse(java.util.Collections.<Part>emptyList())) {
          toolCallId(call, part);
          answer(call, i, part);
          if (out != null) addOutputPart(out, part);
        }
      }
      if (out != null) call.response().addOutputMessage(out);
    }
    usage(call, response.usageMetadata().orElse(null));
  }

  static void ids(LlmCall call, GenerateContentResponse response) {
    try {
      call.response().responseId(response.responseId().orElse(null));
      call.response().responseModel(response.modelVersion().orElse(null));
    } catch (Throwable t) {
      SafeHooks.failed("google-genai response ids", t);
    }
  }

  /** Tool calls link the tool spans; Gemini gives ids only on some APIs, names always. */
  static void toolCallId(LlmCall call, Part part) {
    if (part.functionCall().isPresent()) {
      FunctionCall f = part.functionCall().get();
      call.response().addToolCallId(f.id().orElse(null));
    }
  }

  /** Capture on or off, for the check against what the request declared: a candidate's text (not thoughts) and function calls. */
  static void answer(LlmCall call, int candidate, Part part) {
    if (part.functionCall().isPresent()) {
      FunctionCall f = part.functionCall().get();
      call.response().answerToolCall(f.name().orElse(null), GeminiJson.write(f.args().orElse(null)));
    } else if (!part.thought().orElse(false)) {
      call.response().answerText(candidate, part.text().orElse(null));
    }
  }

  static void addOutputPart(LlmMessage out, Part part) {
    if (part.thought().orElse(false)) return;
    if (part.text().isPresent()) {
      out.add(LlmMessage.Part.text(part.text().get()));
    } else if (part.functionCall().isPresent()) {
      FunctionCall f = part.functionCall().get();
      out.add(LlmMessage.Part.toolCall(f.id().orElse(null), f.name().orElse(null), GeminiJson.write(f.args().orElse(null))));
    }
  }

  /** The API's enum value, lower-cased like the other providers' finish reasons ("stop", "max_tokens"). */
  static String finishReason(Candidate candidate) {
    if (!candidate.finishReason().isPresent()) return null;
    String value = String.valueOf(candidate.finishReason().get());
    return value.isEmpty() ? null : value.toLowerCase(Locale.ROOT);
  }

  static void usage(LlmCall call, GenerateContentResponseUsageMetadata usage) {
    if (usage == null) return;
    ProviderUsage.gemini(call, toLong(usage.promptTokenCount()), toLong(usage.toolUsePromptTokenCount()),
        toLong(usage.candidatesTokenCount()), toLong(usage.thoughtsTokenCount()), toLong(usage.cachedContentTokenCount()));
  }

  static Double toDouble(Optional<? extends Number> v) {
    // Floats widen with float noise (0.7f -> 0.699999988); the decimal text is what the app wrote.
    return v.isPresent() ? Double.valueOf(v.get().toString()) : null;
  }

  static Long toLong(Optional<? extends Number> v) {
    return v.isPresent() ? v.get().longValue() : null;
  }

  private ContentMapper() {}
}
