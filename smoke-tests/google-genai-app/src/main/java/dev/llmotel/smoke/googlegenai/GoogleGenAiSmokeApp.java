package dev.llmotel.smoke.googlegenai;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Content;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.ThinkingConfig;
import com.google.genai.types.Tool;
import dev.llmotel.smoke.support.ScenarioLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small service on the Google GenAI Java SDK run under the real agent by the smoke tests:
 * generateContent blocking, async and streamed (read fully, async, closed early), a function-call
 * round trip, thinking, cached content, embeddings, Vertex AI, a retried 429, policy refusals and
 * answers checked against the structure their request declared ({@link OutputScenarios}), against
 * the fake LLM server speaking the Gemini API. Arguments: the fake server's base URL, then the
 * scenarios.
 */
public final class GoogleGenAiSmokeApp {
  static final String API_KEY = "AIzaSy-smoke-test-secret-key-0123456789abcdef";
  static final String MODEL = "gemini-2.5-flash";
  static final String EMBEDDING_MODEL = "text-embedding-004";

  private final String root;
  /** One client per scenario: the fake server reads the scenario from a header the client sends. */
  private final Map<String, Client> clients = new ConcurrentHashMap<>();
  private final OutputScenarios outputs = new OutputScenarios();

  GoogleGenAiSmokeApp(String baseUrl) {
    // The SDK appends /{apiVersion}/models/... itself.
    this.root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
  }

  public static void main(String[] args) {
    GoogleGenAiSmokeApp app = new GoogleGenAiSmokeApp(args[0]);
    ScenarioLoop.runAll(args, app::run);
  }

  private HttpOptions options(String scenario) {
    Map<String, String> headers = new HashMap<>();
    headers.put("x-fake-scenario", scenario);
    return SdkRelease.tune(HttpOptions.builder().baseUrl(root).apiVersion("v1beta").headers(headers)).build();
  }

  Client gemini(String scenario) {
    return clients.computeIfAbsent(scenario, s -> Client.builder().apiKey(API_KEY).httpOptions(options(s)).build());
  }

  Client vertex(String scenario) {
    return clients.computeIfAbsent("vertex:" + scenario, s -> Client.builder().vertexAI(true).project("smoke-project")
        .location("us-central1")
        .credentials(GoogleCredentials.create(new AccessToken("ya29.smoke-token", new Date(4102444800000L))))
        .httpOptions(SdkRelease.tune(HttpOptions.builder().baseUrl(root).apiVersion("v1beta1")
            .headers(Collections.singletonMap("x-fake-scenario", scenario))).build())
        .build());
  }

  static Tool weatherTool() {
    Schema city = Schema.builder().type("STRING").build();
    return Tool.builder().functionDeclarations(Collections.singletonList(FunctionDeclaration.builder()
        .name("get_weather").description("Current weather in a city")
        .parameters(Schema.builder().type("OBJECT").properties(Collections.singletonMap("city", city))
            .required(Collections.singletonList("city")).build())
        .build())).build();
  }

  static String text(GenerateContentResponse response) {
    StringBuilder sb = new StringBuilder();
    if (response.candidates().isPresent() && !response.candidates().get().isEmpty()) {
      for (Part p : response.candidates().get().get(0).content().get().parts().orElse(Collections.<Part>emptyList())) {
        if (p.text().isPresent() && !p.thought().orElse(false)) sb.append(p.text().get());
      }
    }
    return sb.toString();
  }

  static String read(ResponseStream<GenerateContentResponse> stream) {
    int chunks = 0;
    StringBuilder sb = new StringBuilder();
    for (GenerateContentResponse chunk : stream) {
      chunks++;
      sb.append(text(chunk));
    }
    return "chunks=" + chunks + " text=" + sb;
  }

  static String huge() {
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 20_000; i++) huge.append("lorem ");
    return huge.toString();
  }

  String run(String scenario) throws Exception {
    Client client = scenario.startsWith("vertex") ? vertex(scenario) : gemini(scenario);
    switch (scenario) {
      case "chat":
      case "chat-retried":
      case "vertex-chat":
        return text(client.models.generateContent(MODEL, "Say hello", null));
      case "chat-params":
        return text(client.models.generateContent(MODEL, "Say hello", GenerateContentConfig.builder()
            .temperature(0.3f).topP(0.9f).maxOutputTokens(200).stopSequences(Arrays.asList("END"))
            .systemInstruction(Content.fromParts(Part.fromText("You are terse."))).build()));
      case "chat-async":
        return text(client.async.models.generateContent(MODEL, "Say hello", null).join());
      case "chat-stream": {
        try (ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream(MODEL, "Tell me a short story", null)) {
          return read(stream);
        }
      }
      case "chat-stream-async": {
        try (ResponseStream<GenerateContentResponse> stream =
            client.async.models.generateContentStream(MODEL, "Tell me a short story", null).join()) {
          return read(stream);
        }
      }
      case "chat-stream-closed-early": {
        try (ResponseStream<GenerateContentResponse> stream =
            client.models.generateContentStream(MODEL, "Tell me a short story", null)) {
          Iterator<GenerateContentResponse> it = stream.iterator();
          return "first=" + text(it.next());
        }
      }
      case "tool-use": {
        GenerateContentConfig config = SdkRelease.manualFunctionCalls(GenerateContentConfig.builder()
            .tools(Collections.singletonList(weatherTool()))).build();
        Content question = Content.builder().role("user")
            .parts(Collections.singletonList(Part.fromText("What is the weather in Paris?"))).build();
        GenerateContentResponse asked = client.models.generateContent(MODEL, Collections.singletonList(question), config);
        FunctionCall call = asked.candidates().get().get(0).content().get().parts().get().get(0).functionCall()
            .orElseThrow(() -> new IllegalStateException("no function call: " + asked.toJson()));
        Map<String, Object> result = new HashMap<>();
        result.put("city", "Paris");
        result.put("temperature_c", 18);
        List<Content> conversation = new ArrayList<>();
        conversation.add(question);
        conversation.add(Content.builder().role("model").parts(Collections.singletonList(
            Part.builder().functionCall(call).build())).build());
        conversation.add(Content.builder().role("user").parts(Collections.singletonList(
            Part.fromFunctionResponse(call.name().get(), result))).build());
        GenerateContentResponse answer = client.models.generateContent(MODEL, conversation, config);
        return "tool=" + call.name().get() + " answer=" + text(answer);
      }
      case "thinking":
        return text(client.models.generateContent(MODEL, "Think, then say hello", GenerateContentConfig.builder()
            .thinkingConfig(ThinkingConfig.builder().thinkingBudget(512).build()).build()));
      case "cached":
        return text(client.models.generateContent(MODEL, "Say hello", GenerateContentConfig.builder()
            .cachedContent("cachedContents/smoke-prefix").build()));
      case "embed": {
        EmbedContentResponse response = client.models.embedContent(EMBEDDING_MODEL, "The quick brown fox",
            EmbedContentConfig.builder().outputDimensionality(8).build());
        return "embeddings=" + response.embeddings().get().size() + " dims="
            + response.embeddings().get().get(0).values().get().size();
      }
      case "gov-big-prompt":
        return text(client.models.generateContent(MODEL, huge(), null));
      case "gov-loop": {
        // An agent stuck in a loop: the same request again and again within one run.
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < 3; i++) {
          try {
            client.models.generateContent(MODEL, "Say hello", null);
            outcomes.append(i == 0 ? "" : ",").append("ok");
          } catch (RuntimeException e) {
            outcomes.append(i == 0 ? "" : ",").append("error ").append(e.getClass().getName());
          }
        }
        return outcomes.toString();
      }
      case "gov-stream-refused": {
        // A refused stream fails when it is created, as one whose request failed.
        try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(MODEL, huge(), null)) {
          return read(stream);
        }
      }
      default:
        if (scenario.startsWith("out-")) return outputs.run(client, scenario);
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }
}
