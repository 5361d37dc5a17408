package dev.llmotel.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.types.Content;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.output.OutputCheck;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.core.output.OutputValidation;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gemini's wire shapes, parsed by the SDK itself, mapped onto the shared call model. */
class ContentMapperTest {
  @Test
  void theRequestGivesModelParametersConversationAndTools() {
    Map<String, Object> args = new HashMap<>();
    args.put("city", "Paris");
    Map<String, Object> result = Collections.<String, Object>singletonMap("temperature_c", 18);
    GenerateContentConfig config = GenerateContentConfig.builder().temperature(0.7f).topP(0.95f).maxOutputTokens(64)
        .candidateCount(2).stopSequences(Arrays.asList("END")).responseMimeType("application/json")
        .systemInstruction(Content.fromParts(Part.fromText("Be terse.")))
        .tools(Collections.singletonList(Tool.builder().functionDeclarations(Collections.singletonList(
            FunctionDeclaration.builder().name("get_weather").description("Weather").build())).build()))
        .build();
    LlmCall call = ContentMapper.request("gcp.gemini", "https://generativelanguage.googleapis.com/",
        "models/gemini-2.0-flash", Arrays.asList(
            Content.builder().role("user").parts(Collections.singletonList(Part.fromText("Weather?"))).build(),
            Content.builder().role("model").parts(Collections.singletonList(Part.fromFunctionCall("get_weather", args))).build(),
            Content.builder().role("user").parts(Collections.singletonList(Part.fromFunctionResponse("get_weather", result))).build()),
        config, false);
    assertEquals("generate_content", call.operation());
    assertEquals("gemini-2.0-flash", call.request().requestModel(), "the model, not its resource name");
    assertEquals("generativelanguage.googleapis.com", call.request().serverAddress());
    assertEquals(443, call.request().serverPort());
    assertEquals(0.7, call.request().temperature(), 0, "the decimal the app wrote, not the float's widening");
    assertEquals(0.95, call.request().topP(), 0);
    assertEquals(64L, call.request().maxTokens());
    assertEquals(2L, call.request().choiceCount());
    assertEquals(Arrays.asList("END"), call.request().stopSequences());
    assertEquals("json", call.request().outputType());
    assertEquals("Be terse.", call.request().systemInstructions().get(0).content);
    assertEquals("get_weather", call.request().toolDefinitions().get(0).name);
    assertEquals(3, call.request().inputMessages().size());
    assertEquals("assistant", call.request().inputMessages().get(1).role(), "Gemini's model turn is the assistant's");
    LlmMessage.Part asked = call.request().inputMessages().get(1).parts().get(0);
    assertEquals(LlmMessage.Part.TOOL_CALL, asked.type);
    assertEquals("{\"city\":\"Paris\"}", asked.arguments);
    LlmMessage.Part answered = call.request().inputMessages().get(2).parts().get(0);
    assertEquals(LlmMessage.Part.TOOL_CALL_RESPONSE, answered.type);
    assertEquals("{\"temperature_c\":18}", answered.content);
  }

  @Test
  void usageCountsThoughtsAsOutputAndKeepsTheCacheInTheInput() {
    LlmCall call = new LlmCall("gcp.gemini", "generate_content");
    ContentMapper.response(call, GenerateContentResponse.fromJson("{\"responseId\":\"r1\","
        + "\"modelVersion\":\"gemini-2.5-flash-001\",\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":["
        + "{\"functionCall\":{\"id\":\"call_1\",\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}]},"
        + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":100,"
        + "\"cachedContentTokenCount\":60,\"toolUsePromptTokenCount\":5,\"candidatesTokenCount\":7,"
        + "\"thoughtsTokenCount\":20,\"totalTokenCount\":132}}"));
    assertEquals("r1", call.response().responseId());
    assertEquals("gemini-2.5-flash-001", call.response().responseModel());
    assertEquals(Arrays.asList("stop"), call.response().finishReasons());
    assertEquals(Arrays.asList("call_1"), call.response().toolCallIds());
    assertEquals(105L, call.response().inputTokens(), "prompt and tool-use prompt, cache included (the semconv rule)");
    assertEquals(60L, call.response().cacheReadInputTokens());
    assertEquals(27L, call.response().outputTokens(), "candidates and thoughts: both billed as output");
    assertEquals(20L, call.response().reasoningOutputTokens());
  }

  @Test
  void aResponseWithoutUsageOrCandidatesLeavesThemUnset() {
    LlmCall call = new LlmCall("gcp.gemini", "generate_content");
    ContentMapper.response(call, GenerateContentResponse.fromJson("{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"));
    assertNull(call.response().inputTokens());
    assertTrue(call.response().finishReasons().isEmpty());
  }

  @Test
  void aStreamsChunksAddUpToTheLastUsageAndFinishReason() {
    LlmCall call = new LlmCall("gcp.gemini", "generate_content");
    ContentStreamAccumulator acc = new ContentStreamAccumulator(call);
    acc.onChunk(GenerateContentResponse.fromJson("{\"responseId\":\"r2\",\"candidates\":[{\"content\":{\"parts\":"
        + "[{\"text\":\"Hel\"}]},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"candidatesTokenCount\":1}}"));
    assertEquals(false, acc.finished());
    acc.onChunk(GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}]},"
        + "\"finishReason\":\"MAX_TOKENS\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,"
        + "\"candidatesTokenCount\":2}}"));
    assertEquals(true, acc.finished());
    acc.finish();
    assertEquals("r2", call.response().responseId());
    assertEquals(Arrays.asList("max_tokens"), call.response().finishReasons());
    assertEquals(9L, call.response().inputTokens());
    assertEquals(2L, call.response().outputTokens(), "the last chunk's numbers, not a sum");
  }

  private static LlmCall ask(Part media) {
    return ContentMapper.request("gcp.gemini", "https://generativelanguage.googleapis.com/", "gemini-2.5-flash",
        Collections.singletonList(Content.builder().role("user")
            .parts(Arrays.asList(Part.fromText("Total on this page?"), media)).build()), null, false);
  }

  @Test
  void inlineBytesAndFilesAreMappedByWhatIdentifiesThemNeverTheirBytes() throws Exception {
    byte[] page = "%PDF-1.4 page one".getBytes("UTF-8");
    LlmCall call = ask(Part.fromBytes(page, "application/pdf"));
    LlmMessage.Part blob = call.request().inputMessages().get(0).parts().get(1);
    assertEquals(LlmMessage.Part.BLOB, blob.type);
    assertEquals("document", blob.modality);
    assertEquals("application/pdf", blob.mimeType);
    assertEquals(page.length, blob.sizeBytes);
    StringBuilder hex = new StringBuilder();
    for (byte b : java.security.MessageDigest.getInstance("SHA-256").digest(page)) hex.append(String.format("%02x", b));
    assertEquals(hex.toString(), blob.contentHash);
    assertNull(blob.content);
    LlmMessage.Part image = ask(Part.fromBytes(new byte[] {1, 2, 3}, "image/png")).request().inputMessages().get(0).parts().get(1);
    assertEquals("image", image.modality);
    LlmMessage.Part file = ask(Part.fromUri("gs://bucket/talk.mp4", "video/mp4")).request().inputMessages().get(0).parts().get(1);
    assertEquals(LlmMessage.Part.URI, file.type);
    assertEquals("video", file.modality);
    assertEquals("gs://bucket/talk.mp4", file.content);
    // Governance: another page is another request; an image counts by Gemini's rule.
    String h1 = dev.llmotel.core.governance.Fingerprints.requestHash(call);
    String h2 = dev.llmotel.core.governance.Fingerprints.requestHash(ask(Part.fromBytes("%PDF-1.4 page two".getBytes("UTF-8"),
        "application/pdf")));
    assertTrue(!h1.equals(h2));
    LlmCall withImage = ask(Part.fromBytes(new byte[] {1, 2, 3}, "image/png"));
    LlmCall textOnly = ask(Part.fromText(""));
    assertEquals(dev.llmotel.core.governance.Fingerprints.estimateInputTokens(textOnly) + 1032,
        dev.llmotel.core.governance.Fingerprints.estimateInputTokens(withImage), "unknown size: 1024x1024, 4 tiles of 258");
  }

  // ---- output validation: what the request declared, and the answer it is checked against ----

  /** A request with this config (JSON, as the SDK reads it). */
  private static LlmCall declaring(String configJson) {
    return ContentMapper.request("gcp.gemini", null, "gemini-2.5-flash",
        Collections.singletonList(Content.fromParts(Part.fromText("Total?"))),
        GenerateContentConfig.fromJson(configJson), false);
  }

  /** A response (or stream chunk) whose candidates have these parts, each candidate's parts a JSON array. */
  private static GenerateContentResponse answer(String... candidateParts) {
    StringBuilder candidates = new StringBuilder();
    for (int i = 0; i < candidateParts.length; i++) {
      if (i > 0) candidates.append(',');
      candidates.append("{\"content\":{\"role\":\"model\",\"parts\":").append(candidateParts[i]).append("},\"index\":")
          .append(i).append('}');
    }
    return GenerateContentResponse.fromJson("{\"candidates\":[" + candidates + "]}");
  }

  private static OutputCheck check(LlmCall call) {
    return OutputValidation.check(call.request().outputContract(), call.request().toolDefinitions(),
        call.response().answerForValidation());
  }

  /** A JSON answer with a total, in Gemini's schema dialect (upper-case types, nullable). */
  private static final String TOTAL = "\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"OBJECT\","
      + "\"properties\":{\"total\":{\"type\":\"NUMBER\",\"nullable\":true}},\"required\":[\"total\"]}";
  private static final String WEATHER = "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":"
      + "{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}},\"required\":[\"city\"]}}]}]";

  @Test
  void aResponseSchemaIsCheckedAsTheJsonSchemaItMeansOnEachCandidateWithCaptureOff() {
    assertFalse(LlmOtelConfig.get().captureContent());
    LlmCall call = declaring("{" + TOTAL + "}");
    assertEquals(OutputContract.Shape.SCHEMA, call.request().outputContract().shape());
    ContentMapper.response(call, answer("[{\"text\":\"Adding up.\",\"thought\":true},{\"text\":\"{\\\"total\\\":\"},"
        + "{\"text\":\"null}\"}]", "[{\"text\":\"{\\\"total\\\":\\\"12\\\"}\"}]"));
    OutputCheck verdict = check(call);
    assertEquals("invalid", verdict.result, "the second candidate's total is a string");
    assertEquals("$.total: type", verdict.error);
  }

  @Test
  void applicationJsonAloneAsksForAnyJsonAndAnEnumSchemaForNone() {
    LlmCall json = declaring("{\"responseMimeType\":\"application/json\"}");
    assertEquals(OutputContract.Shape.ANY_JSON, json.request().outputContract().shape());
    ContentMapper.response(json, answer("[{\"text\":\"Sure! Here it is.\"}]"));
    assertEquals("not_json", check(json).result);
    LlmCall enumAnswer = declaring("{\"responseMimeType\":\"text/x.enum\",\"responseSchema\":"
        + "{\"type\":\"STRING\",\"enum\":[\"yes\",\"no\"]}}");
    assertNull(enumAnswer.request().outputContract(), "a text/x.enum answer is plain text");
  }

  @Test
  void aFunctionCallsArgsAreCheckedAgainstItsConvertedParameters() {
    LlmCall call = declaring("{" + WEATHER + "}");
    assertEquals("{\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"type\":\"object\"}",
        call.request().toolDefinitions().get(0).parametersJsonSchema, "in the order the SDK writes it");
    assertTrue(call.request().toolDefinitions().get(0).parametersJson.contains("\"OBJECT\""), "as declared, for capture");
    ContentMapper.response(call, answer("[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"town\":\"Paris\"}}}]"));
    assertEquals("invalid", check(call).result);
    assertEquals("tool get_weather: $: required", check(call).error);
  }

  @Test
  void aStreamsChunksAreCheckedPerCandidate() {
    LlmCall call = declaring("{" + TOTAL + "," + WEATHER + "}");
    ContentStreamAccumulator acc = new ContentStreamAccumulator(call);
    acc.onChunk(answer("[{\"text\":\"{\\\"tot\"}]", "[{\"text\":\"{\\\"total\\\":\"}]"));
    acc.onChunk(answer("[{\"text\":\"al\\\":1}\"}]", "[{\"text\":\"2}\"}]"));
    acc.onChunk(answer("[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Paris\"}}}]"));
    acc.finish();
    assertEquals("valid", check(call).result);
  }

  @Test
  void withNothingDeclaredNothingIsKept() {
    LlmCall call = declaring("{\"temperature\":0.2}");
    ContentMapper.response(call, answer("[{\"text\":\"Hello\"}]"));
    assertNull(call.response().answerForValidation());
    LlmCall streamed = declaring("{}");
    ContentStreamAccumulator acc = new ContentStreamAccumulator(streamed);
    acc.onChunk(answer("[{\"text\":\"Hello\"}]"));
    acc.finish();
    assertNull(streamed.response().answerForValidation());
  }
}
