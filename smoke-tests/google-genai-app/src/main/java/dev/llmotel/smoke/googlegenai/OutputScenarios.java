package dev.llmotel.smoke.googlegenai;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Candidate;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The scenarios of output validation on the Google GenAI SDK: requests that declare the structure of
 * their answer (responseMimeType application/json with a responseSchema, or with none; a function's
 * parameters), whose answers the fake server makes fit or not as each test scripts it. The app reads
 * the answer as an app would; what it gets is the scenario's RESULT. In enforce mode an unusable
 * answer fails with the SDK's own exception.
 */
final class OutputScenarios {
  static final String QUESTION = "What is the capital of France?";

  /** {city: STRING, population: INTEGER >= 0}, both required: Gemini's own schema dialect. */
  static Schema citySchema() {
    Map<String, Schema> properties = new LinkedHashMap<>();
    properties.put("city", Schema.builder().type(Type.Known.STRING).build());
    properties.put("population", Schema.builder().type(Type.Known.INTEGER).minimum(0.0).build());
    return Schema.builder().type(Type.Known.OBJECT).properties(properties)
        .required(Arrays.asList("city", "population")).build();
  }

  static GenerateContentConfig structured() {
    return GenerateContentConfig.builder().responseMimeType("application/json").responseSchema(citySchema())
        .systemInstruction(com.google.genai.types.Content.fromParts(Part.fromText("Answer with the city and its population.")))
        .build();
  }

  String run(Client client, String scenario) throws Exception {
    switch (scenario) {
      case "out-valid":
      case "out-wrong":
      case "out-not-json":
      case "out-truncated":
      case "out-refusal":
      case "out-policy-valid":
      case "out-policy-wrong":
        return answer(client.models.generateContent(GoogleGenAiSmokeApp.MODEL, QUESTION, structured()));
      case "out-policy-async-wrong":
        return answer(client.async.models.generateContent(GoogleGenAiSmokeApp.MODEL, QUESTION, structured()).join());
      case "out-json-any":
        return answer(client.models.generateContent(GoogleGenAiSmokeApp.MODEL, "Reply in JSON: " + QUESTION,
            GenerateContentConfig.builder().responseMimeType("application/json").build()));
      case "out-tool-valid":
      case "out-tool-wrong":
        return answer(client.models.generateContent(GoogleGenAiSmokeApp.MODEL, "What is the weather in Paris?",
            SdkRelease.manualFunctionCalls(GenerateContentConfig.builder()
                .tools(Collections.singletonList(GoogleGenAiSmokeApp.weatherTool()))).build()));
      case "out-stream-wrong":
      case "out-policy-stream-wrong": {
        StringBuilder text = new StringBuilder();
        try (ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream(GoogleGenAiSmokeApp.MODEL, QUESTION, structured())) {
          for (GenerateContentResponse chunk : stream) text.append(GoogleGenAiSmokeApp.text(chunk));
        }
        return "answer=" + text;
      }
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }

  /**
   * What the app takes from the answer: the first candidate's finish reason, its text and the
   * functions it calls. Read from the candidate: a blocked candidate has no content.
   */
  static String answer(GenerateContentResponse response) {
    List<Candidate> candidates = response.candidates().orElse(Collections.<Candidate>emptyList());
    if (candidates.isEmpty()) return "no candidates";
    Candidate candidate = candidates.get(0);
    List<Part> parts = candidate.content().flatMap(c -> c.parts()).orElse(Collections.<Part>emptyList());
    String text = parts.stream().filter(p -> p.text().isPresent()).map(p -> p.text().get())
        .collect(Collectors.joining());
    List<String> calls = parts.stream().filter(p -> p.functionCall().isPresent())
        .map(p -> p.functionCall().get().name().orElse("?")).collect(Collectors.toList());
    return "finish=" + candidate.finishReason().map(Object::toString).orElse("none")
        + (calls.isEmpty() ? "" : " calls=" + String.join(",", calls)) + " answer=" + text;
  }
}
