package dev.llmotel.smoke.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.JsonValue;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseTextConfig;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scenarios of output validation: requests that declare the structure of their answer (a JSON
 * Schema, a JSON object, a tool's parameters), whose answers the fake server makes fit or not as
 * each test scripts it. The app uses the answer as an app would (reads it); what it gets is the
 * scenario's RESULT. In enforce mode an unusable answer fails with the SDK's own exception.
 */
final class OutputScenarios {
  private final OpenAIClient client;
  private final OpenAIClientAsync asyncClient;

  OutputScenarios(OpenAIClient client, OpenAIClientAsync asyncClient) {
    this.client = client;
    this.asyncClient = asyncClient;
  }

  /** {"city": string, "population": integer >= 0}, both required, nothing else: as structured outputs want it. */
  static ResponseFormatJsonSchema.JsonSchema.Schema citySchema() {
    Map<String, Object> city = Collections.singletonMap("type", "string");
    Map<String, Object> population = new HashMap<>();
    population.put("type", "integer");
    population.put("minimum", 0);
    Map<String, Object> properties = new HashMap<>();
    properties.put("city", city);
    properties.put("population", population);
    return ResponseFormatJsonSchema.JsonSchema.Schema.builder()
        .putAdditionalProperty("type", JsonValue.from("object"))
        .putAdditionalProperty("properties", JsonValue.from(properties))
        .putAdditionalProperty("required", JsonValue.from(Arrays.asList("city", "population")))
        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
        .build();
  }

  private static ChatCompletionCreateParams.Builder structured(String scenario) {
    return ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("Answer with the city and its population.")
        .addUserMessage("What is the capital of France?")
        .maxCompletionTokens(100)
        .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
            .name("city_answer").strict(true).schema(citySchema()).build()).build())
        .putAdditionalHeader("x-fake-scenario", scenario);
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
        return "answer=" + text(client.chat().completions().create(structured(scenario).build()));
      case "out-json-object":
        return "answer=" + text(client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model(ChatModel.GPT_4O_MINI).addUserMessage("Reply in JSON: what is the capital of France?")
            .responseFormat(ResponseFormatJsonObject.builder().build())
            .putAdditionalHeader("x-fake-scenario", scenario).build()));
      case "out-unsure":
        return "answer=" + text(client.chat().completions().create(ChatCompletionCreateParams.builder()
            .model(ChatModel.GPT_4O_MINI).addUserMessage("What is the capital of France?").logprobs(true)
            .putAdditionalHeader("x-fake-scenario", scenario).build()));
      case "out-tool-wrong": {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
            .model(ChatModel.GPT_4O_MINI).addUserMessage("What is the weather in Paris?")
            .putAdditionalHeader("x-fake-scenario", scenario);
        Tools.addWeatherTool(params);
        return "tool=" + Tools.firstToolCall(client.chat().completions().create(params.build()).choices().get(0).message())[2];
      }
      case "out-stream-wrong":
      case "out-policy-stream-wrong": {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(structured(scenario).build())) {
          stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        return "answer=" + text;
      }
      case "out-policy-async-wrong":
        return "answer=" + text(asyncClient.chat().completions().create(structured(scenario).build()).get(30, TimeUnit.SECONDS));
      case "out-policy-async-stream-wrong": {
        AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(structured(scenario).build());
        CompletableFuture<String> outcome = new CompletableFuture<>();
        stream.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
          @Override
          public void onNext(ChatCompletionChunk chunk) {}

          @Override
          public void onComplete(java.util.Optional<Throwable> error) {
            // What the app's handler is told at the end: the answer's rejection, in enforce mode.
            outcome.complete(error.map(e -> "handler-error " + e.getClass().getName()).orElse("handler-ok"));
          }
        });
        return outcome.get(30, TimeUnit.SECONDS);
      }
      case "out-responses-wrong": {
        Response r = client.responses().create(ResponseCreateParams.builder()
            .model(ChatModel.GPT_4O_MINI).input("What is the capital of France?")
            .text(ResponseTextConfig.builder().format(ResponseFormatTextJsonSchemaConfig.builder()
                .name("city_answer").schema(ResponseFormatTextJsonSchemaConfig.Schema.builder()
                    .putAllAdditionalProperties(citySchema()._additionalProperties()).build()).build()).build())
            .putAdditionalHeader("x-fake-scenario", scenario).build());
        return "id=" + r.id();
      }
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }

  private static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }
}
