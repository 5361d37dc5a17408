package dev.llmotel.examples.agent;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.ChatModel;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Collections;
import java.util.Map;

/**
 * A tool-using assistant as a team would write it with the OpenAI SDK: ask the model, run the
 * tools it asks for, send the results back, until it answers. It knows nothing of llm-otel: the
 * traces come from the agent flag alone. The one span it makes itself ("agent-run") is ordinary
 * OpenTelemetry API use, so each run is one trace.
 *
 * <p>Environment: OPENAI_BASE_URL (default: the demo's fake server), OPENAI_API_KEY, DEMO_MODEL.
 */
public final class WeatherAssistant {
  private static final int MAX_TURNS = 5;

  private final OpenAIClient client;
  private final String model;
  private final boolean fakeBackend;
  private final Tracer tracer = GlobalOpenTelemetry.getTracer("weather-assistant");

  WeatherAssistant(String baseUrl, String apiKey, String model, boolean fakeBackend) {
    this.client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(2).build();
    this.model = model;
    this.fakeBackend = fakeBackend;
  }

  public static void main(String[] args) {
    String baseUrl = env("OPENAI_BASE_URL", "http://127.0.0.1:8089/v1");
    boolean fake = System.getenv("OPENAI_API_KEY") == null;
    WeatherAssistant assistant = new WeatherAssistant(baseUrl, env("OPENAI_API_KEY", "sk-demo-not-a-real-key"),
        env("DEMO_MODEL", "gpt-4o-mini"), fake);
    String[] questions = args.length > 0 ? args : new String[] {
        "What is the weather in Paris?", "Should I take an umbrella in London today?"};
    for (String question : questions) {
      System.out.println("Q: " + question);
      System.out.println("A: " + assistant.ask(question));
    }
    System.exit(0); // OkHttp's threads would keep the JVM up; the agent flushes telemetry on exit
  }

  String ask(String question) {
    Span run = tracer.spanBuilder("agent-run").startSpan();
    try (Scope ignored = run.makeCurrent()) {
      ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder()
          .model(ChatModel.of(model))
          .addSystemMessage("You are a weather assistant. Use the tools; answer in one sentence.")
          .addUserMessage(question)
          .addTool(ChatCompletionFunctionTool.builder().function(weatherTool()).build());
      if (fakeBackend) {
        // Lets the demo's fake server script a 429 for one question, to show retries in the trace.
        conversation.putAdditionalHeader("x-fake-scenario", question.contains("umbrella") ? "demo-429" : "demo");
      }
      for (int turn = 0; turn < MAX_TURNS; turn++) {
        ChatCompletion completion = client.chat().completions().create(conversation.build());
        ChatCompletionMessage message = completion.choices().get(0).message();
        if (!message.toolCalls().isPresent() || message.toolCalls().get().isEmpty()) {
          return message.content().orElse("");
        }
        conversation.addMessage(message);
        for (ChatCompletionMessageToolCall toolCall : message.toolCalls().get()) {
          ChatCompletionMessageFunctionToolCall call = toolCall.asFunction();
          conversation.addMessage(ChatCompletionToolMessageParam.builder()
              .toolCallId(call.id())
              .content(runTool(call.function().name(), call.function().arguments()))
              .build());
        }
      }
      return "(gave up after " + MAX_TURNS + " turns)";
    } catch (RuntimeException e) {
      run.recordException(e);
      run.setStatus(StatusCode.ERROR);
      return "(failed: " + e.getClass().getSimpleName() + ")";
    } finally {
      run.end();
    }
  }

  /** The weather tool: reads the city the model asked about from its JSON arguments. */
  private String runTool(String name, String arguments) {
    Span span = tracer.spanBuilder("tool " + name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      ObjectNode result = ObjectMappers.jsonMapper().createObjectNode();
      String city;
      try {
        city = ObjectMappers.jsonMapper().readTree(arguments).path("city").asText("");
      } catch (JsonProcessingException e) {
        city = "";
      }
      if (!"get_weather".equals(name) || city.isEmpty()) {
        span.setStatus(StatusCode.ERROR, "no city in " + arguments);
        return result.put("error", "get_weather needs a city").toString();
      }
      return result.put("city", city).put("forecast", "light rain").put("temperature_c", 14).toString();
    } finally {
      span.end();
    }
  }

  private static FunctionDefinition weatherTool() {
    Map<String, Object> city = Collections.singletonMap("type", "string");
    return FunctionDefinition.builder()
        .name("get_weather")
        .description("Current weather for a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Collections.singletonMap("city", city)))
            .putAdditionalProperty("required", JsonValue.from(Collections.singletonList("city")))
            .build())
        .build();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
