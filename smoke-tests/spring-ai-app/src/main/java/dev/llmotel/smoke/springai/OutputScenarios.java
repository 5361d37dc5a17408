package dev.llmotel.smoke.springai;

import java.util.List;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;

/**
 * The scenarios of output validation: model calls whose options declare the structure of the
 * answer (OpenAI's JSON_SCHEMA response format, a tool's parameters), whose answers the fake server
 * makes fit or not as each test scripts it. The app reads the answer as an app would; in enforce
 * mode a blocking call's unusable answer fails with the line's exception, a stream's is recorded.
 */
final class OutputScenarios {
  /** {"city": string, "population": integer >= 0}, both required, nothing else: as structured outputs want it. */
  static final String CITY_SCHEMA = "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}, "
      + "\"population\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"city\", \"population\"], "
      + "\"additionalProperties\": false}";
  static final String QUESTION = "What is the capital of France? Answer with the city and its population.";

  private OutputScenarios() {}

  static String run(ChatModel model, String scenario) {
    switch (scenario) {
      case "out-valid":
      case "out-wrong":
      case "out-not-json":
      case "out-truncated":
      case "out-refusal":
      case "out-policy-valid":
      case "out-policy-wrong": {
        ChatResponse response = model.call(new Prompt(QUESTION, Models.structured("city_answer", CITY_SCHEMA)));
        return "answer=" + response.getResult().getOutput().getText();
      }
      case "out-tool-wrong": {
        // The app runs the tools itself: the model's call comes back as it was asked for.
        ChatResponse response = model.call(new Prompt("What is the weather in Paris?",
            Models.offeringTools(new SpringAiSmokeApp.WeatherTools())));
        AssistantMessage.ToolCall call = response.getResult().getOutput().getToolCalls().get(0);
        return "tool=" + call.name() + " " + call.arguments();
      }
      case "out-stream-wrong":
      case "out-policy-stream-valid":
      case "out-policy-stream-wrong": {
        List<ChatResponse> chunks = model.stream(new Prompt(QUESTION, Models.structured("city_answer", CITY_SCHEMA)))
            .collectList().block();
        StringBuilder text = new StringBuilder();
        for (ChatResponse c : chunks) {
          if (c.getResult() != null && c.getResult().getOutput().getText() != null) {
            text.append(c.getResult().getOutput().getText());
          }
        }
        return "answer=" + text;
      }
      case "out-agent-tool-wrong":
        // Spring AI runs the tool with the arguments the model sent, then asks the model again.
        return new WeatherAgent(model, new SpringAiSmokeApp.WeatherTools()).ask("What is the weather in Paris?");
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }
}
