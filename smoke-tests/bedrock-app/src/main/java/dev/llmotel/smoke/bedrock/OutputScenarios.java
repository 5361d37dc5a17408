package dev.llmotel.smoke.bedrock;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;

/**
 * The scenarios of output validation on Bedrock: requests that declare the structure of their answer
 * (a Converse tool's inputSchema, a structured output's JSON Schema in Converse's outputConfig or in
 * a Claude InvokeModel body's output_config), whose answers the fake server makes fit or not as each
 * test scripts it. The app reads the answer as an app would; what it gets is the scenario's RESULT.
 * In enforce mode an unusable answer fails with the SDK's own exception for a response it cannot use.
 */
final class OutputScenarios {
  static final String CITY_SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"population\":{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"city\",\"population\"],"
      + "\"additionalProperties\":false}";

  private final BedrockRuntimeClient client;
  private final BedrockRuntimeAsyncClient async;

  OutputScenarios(BedrockRuntimeClient client, BedrockRuntimeAsyncClient async) {
    this.client = client;
    this.async = async;
  }

  private static ConverseRequest weather(String scenario) {
    return ConverseRequest.builder().modelId(BedrockSmokeApp.MODEL)
        .messages(BedrockSmokeApp.user("What is the weather in Paris?")).toolConfig(BedrockSmokeApp.weatherTool())
        .inferenceConfig(c -> c.maxTokens(256)).overrideConfiguration(BedrockSmokeApp.scenario(scenario)).build();
  }

  private static ConverseRequest structured(String scenario) {
    return ConverseRequest.builder().modelId(BedrockSmokeApp.MODEL)
        .messages(BedrockSmokeApp.user("What is the capital of France?"))
        .outputConfig(OutputConfig.builder().textFormat(OutputFormat.builder().type(OutputFormatType.JSON_SCHEMA)
            .structure(OutputFormatStructure.fromJsonSchema(JsonSchemaDefinition.builder().name("city_answer")
                .schema(CITY_SCHEMA).build())).build()).build())
        .overrideConfiguration(BedrockSmokeApp.scenario(scenario)).build();
  }

  private boolean asyncWarm;

  /**
   * The async client's first call in a JVM is slow (Netty and the SDK's async pipeline load and are
   * instrumented: about 600 ms here), too close to the governance tests' 700 ms timeout policy. An
   * app on a timeout that tight warms its client first: one call outside any scenario's trace (its
   * own span, its own request), whatever it ends with.
   */
  private void warmAsyncClient() {
    if (asyncWarm) return;
    asyncWarm = true;
    try (Scope ignored = Context.root().makeCurrent()) {
      async.converse(BedrockSmokeApp.converse("warm-up", "Say hello")).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // warmed all the same
    }
  }

  String run(String scenario) throws Exception {
    if (scenario.startsWith("out-policy-async") || scenario.startsWith("out-policy-stream")) warmAsyncClient();
    switch (scenario) {
      case "out-tool-valid":
      case "out-tool-wrong":
      case "out-truncated":
      case "out-refusal":
      case "out-policy-valid":
      case "out-policy-wrong":
        return answer(client.converse(weather(scenario)));
      case "out-structured-wrong":
      case "out-structured-prose":
        return answer(client.converse(structured(scenario)));
      case "out-invoke-wrong": {
        // InvokeModel with a Claude model: Anthropic's own body, its structured output in output_config.
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of France?\"}],"
            + "\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":" + CITY_SCHEMA + "}}}";
        return "body=" + client.invokeModel(InvokeModelRequest.builder().modelId(BedrockSmokeApp.MODEL)
            .body(SdkBytes.fromUtf8String(body)).overrideConfiguration(BedrockSmokeApp.scenario(scenario)).build())
            .body().asUtf8String();
      }
      case "out-policy-async-wrong":
        return answer(async.converse(weather(scenario)).join());
      case "out-stream-tool-wrong":
      case "out-policy-stream-wrong":
        return stream(scenario);
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }

  /** What the app takes from the answer: the stop reason, the tools it calls and its text. */
  private static String answer(ConverseResponse response) {
    List<String> tools = response.output().message().content().stream().filter(b -> b.toolUse() != null)
        .map(b -> b.toolUse().name()).collect(Collectors.toList());
    return "stop=" + response.stopReasonAsString() + (tools.isEmpty() ? "" : " tools=" + String.join(",", tools))
        + " answer=" + BedrockSmokeApp.text(response);
  }

  /** A ConverseStream offering the tool, read to its end: the tool input's fragments put together. */
  private String stream(String scenario) throws Exception {
    ConverseRequest r = weather(scenario);
    StringBuilder input = new StringBuilder();
    StringBuilder stop = new StringBuilder();
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onContentBlockDelta(e -> {
              if (e.delta().toolUse() != null) input.append(e.delta().toolUse().input());
            })
            .onMessageStop(e -> stop.append(e.stopReasonAsString()))
            .build())
        .build();
    try {
      async.converseStream(ConverseStreamRequest.builder().modelId(r.modelId()).messages(r.messages())
          .toolConfig(r.toolConfig()).inferenceConfig(r.inferenceConfig())
          .overrideConfiguration(BedrockSmokeApp.scenario(scenario)).build(), handler).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // What the stream failed with: the future's cause, as the app would rethrow it.
      if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
      throw e;
    }
    return "stop=" + stop + " input=" + input;
  }
}
