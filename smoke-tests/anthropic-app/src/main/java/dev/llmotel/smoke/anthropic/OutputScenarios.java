package dev.llmotel.smoke.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The scenarios of output validation on the Anthropic SDK: requests that declare the structure of
 * their answer (a structured output's JSON Schema, a tool's input_schema), whose answers the fake
 * server makes fit or not as each test scripts it. The app reads the answer as an app would; what it
 * gets is the scenario's RESULT. In enforce mode an unusable answer fails with the SDK's own
 * exception for data it cannot use.
 */
final class OutputScenarios {
  private final AnthropicClient client;

  OutputScenarios(AnthropicClient client) {
    this.client = client;
  }

  /** {"city": string, "population": integer >= 0}, both required, nothing else. */
  static Map<String, Object> citySchema() {
    Map<String, Object> population = new HashMap<>();
    population.put("type", "integer");
    population.put("minimum", 0);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("city", Collections.singletonMap("type", "string"));
    properties.put("population", population);
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", Arrays.asList("city", "population"));
    schema.put("additionalProperties", false);
    return schema;
  }

  private static MessageCreateParams structured(String scenario) {
    return StructuredOutputs.declare(AnthropicSmokeApp.params(scenario, "What is the capital of France?")
        .system("Answer with the city and its population."), citySchema()).build();
  }

  private static MessageCreateParams weather(String scenario) {
    return AnthropicSmokeApp.params(scenario, "What is the weather in Paris?")
        .addTool(AnthropicSmokeApp.weatherTool()).build();
  }

  String run(String scenario) throws Exception {
    switch (scenario) {
      case "out-valid":
      case "out-wrong":
      case "out-not-json":
      case "out-truncated":
      case "out-refusal":
      case "out-policy-valid":
      case "out-policy-wrong":
        return answer(client.messages().create(structured(scenario)));
      case "out-policy-async-wrong":
        return answer(client.async().messages().create(structured(scenario)).join());
      case "out-tool-valid":
      case "out-tool-wrong":
        return answer(client.messages().create(weather(scenario)));
      case "out-stream-wrong":
      case "out-policy-stream-wrong":
        return read(client.messages().createStreaming(structured(scenario)));
      case "out-stream-tool-wrong":
        return read(client.messages().createStreaming(weather(scenario)));
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }

  /** What the app takes from the answer: its stop reason, its text, the tools it calls. */
  private static String answer(Message message) {
    List<String> tools = message.content().stream().filter(ContentBlock::isToolUse)
        .map(b -> b.asToolUse().name()).collect(Collectors.toList());
    return "stop=" + message.stopReason().map(Object::toString).orElse("none")
        + (tools.isEmpty() ? "" : " tools=" + String.join(",", tools))
        + " answer=" + AnthropicSmokeApp.text(message);
  }

  /** Reads a stream to its end: the answer's text, or the tool input's JSON fragments. */
  private static String read(StreamResponse<RawMessageStreamEvent> response) {
    StringBuilder text = new StringBuilder();
    StringBuilder input = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> stream = response) {
      stream.stream().filter(RawMessageStreamEvent::isContentBlockDelta).forEach(e -> {
        if (e.asContentBlockDelta().delta().isText()) text.append(e.asContentBlockDelta().delta().asText().text());
        if (e.asContentBlockDelta().delta().isInputJson()) {
          input.append(e.asContentBlockDelta().delta().asInputJson().partialJson());
        }
      });
    }
    return input.length() > 0 ? "input=" + input : "answer=" + text;
  }
}
