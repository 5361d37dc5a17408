package dev.llmotel.smoke.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp.CountingHandler;
import dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp.WeatherAssistant;
import dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp.WeatherTools;

/**
 * The scenarios of output validation: requests that declare the structure of their answer (a
 * response format with a JSON Schema, the model's default JSON format, a tool's parameters), whose
 * answers the fake server makes fit or not as each test scripts it. The app reads the answer as an
 * app would; in enforce mode an unusable answer fails with LangChain4j's exception (the OpenAI SDK's
 * under the open-ai-official models), a stream's through its handler's onError.
 */
final class OutputScenarios {
  /** An AI service that answers with a typed object: LangChain4j asks for its JSON Schema. */
  interface CityAssistant {
    CityAnswer ask(String question);
  }

  /** The typed answer of {@link CityAssistant}. */
  public static final class CityAnswer {
    public String city;
    public Integer population;

    @Override
    public String toString() {
      return "city=" + city + " population=" + population;
    }
  }

  private final LangChain4jSmokeApp app;

  OutputScenarios(LangChain4jSmokeApp app) {
    this.app = app;
  }

  /** {"city": string, "population": integer}, both required, nothing else: as strict structured outputs want it. */
  static ResponseFormat cityFormat() {
    JsonObjectSchema root = JsonObjectSchema.builder().addStringProperty("city").addIntegerProperty("population")
        .required("city", "population").additionalProperties(false).build();
    return ResponseFormat.builder().type(ResponseFormatType.JSON)
        .jsonSchema(JsonSchema.builder().name("city_answer").rootElement(root).build()).build();
  }

  static ChatRequest structured() {
    return ChatRequest.builder()
        .messages(SystemMessage.from("Answer with the city and its population."),
            UserMessage.from("What is the capital of France?"))
        .responseFormat(cityFormat()).build();
  }

  /** The weather tool as an app declares it by hand: the city is required. */
  static ToolSpecification weatherTool() {
    return ToolSpecification.builder().name("get_weather").description("Current weather in a city")
        .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
  }

  String run(String scenario) {
    switch (scenario) {
      case "out-valid":
      case "out-wrong":
      case "out-not-json":
      case "out-truncated":
      case "out-policy-valid":
      case "out-policy-wrong":
        return "answer=" + app.model(scenario).chat(structured()).aiMessage().text();
      case "out-default-json":
        // The model's own default: any JSON object, for every call that sets nothing else.
        return "answer=" + app.jsonObjectModel(scenario).chat("Reply in JSON: what is the capital of France?");
      case "out-tool-wrong": {
        ChatResponse response = app.model(scenario).chat(ChatRequest.builder()
            .messages(UserMessage.from("What is the weather in Paris?")).toolSpecifications(weatherTool()).build());
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
        return "tool=" + call.name() + " " + call.arguments();
      }
      case "out-stream-wrong":
      case "out-policy-stream-valid":
      case "out-policy-stream-wrong": {
        CountingHandler handler = new CountingHandler();
        app.streamingModel(scenario).chat(structured(), handler);
        return "answer=" + handler.done.join().aiMessage().text();
      }
      case "out-agent-wrong":
        // The AI service declares the structure it parses the answer into.
        return "answer=" + AiServices.builder(CityAssistant.class).chatModel(app.structuredOutputsModel(scenario))
            .build().ask("What is the capital of France?");
      case "out-agent-tool-wrong":
        // LangChain4j runs the tool with the arguments the model sent, then asks the model again.
        return AiServices.builder(WeatherAssistant.class).chatModel(app.model(scenario)).tools(new WeatherTools())
            .build().ask("What is the weather in Paris?");
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }
}
