package dev.llmotel.smoke.bedrock;

import dev.llmotel.smoke.support.ScenarioLoop;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * A small service on the AWS SDK's Bedrock Runtime client run under the real agent by the smoke
 * tests: Converse blocking and async, ConverseStream (read fully, cancelled), a tool round trip,
 * prompt caching, InvokeModel for a Claude and a Titan embedding model, InvokeModelWithResponseStream,
 * a retried throttle, policy refusals and answers checked against the structure their request
 * declared ({@link OutputScenarios}), against the fake LLM server with a fixed endpoint and static
 * credentials. Arguments: the fake server's base URL, then the scenarios.
 */
public final class BedrockSmokeApp {
  static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  static final String EMBEDDING_MODEL = "amazon.titan-embed-text-v2:0";
  static final String SECRET = "smoke-test-secret-access-key-0123456789";

  private final BedrockRuntimeClient client;
  private final BedrockRuntimeAsyncClient async;
  private final OutputScenarios outputs;

  BedrockSmokeApp(String baseUrl) {
    URI endpoint = URI.create(baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl);
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASMOKETEST0000000", SECRET));
    this.client = BedrockRuntimeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(ApacheHttpClient.create()).build();
    // The fake server speaks HTTP/1.1; the async client would try HTTP/2 for event streams.
    this.async = BedrockRuntimeAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1).build()).build();
    this.outputs = new OutputScenarios(client, async);
  }

  public static void main(String[] args) {
    BedrockSmokeApp app = new BedrockSmokeApp(args[0]);
    ScenarioLoop.runAll(args, app::run);
  }

  static AwsRequestOverrideConfiguration scenario(String scenario) {
    return AwsRequestOverrideConfiguration.builder().putHeader("x-fake-scenario", scenario).build();
  }

  static Message user(String text) {
    return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
  }

  static ConverseRequest converse(String scenario, String text) {
    return ConverseRequest.builder().modelId(MODEL).messages(user(text))
        .inferenceConfig(c -> c.maxTokens(256).temperature(0.5f)).overrideConfiguration(scenario(scenario)).build();
  }

  static ToolConfiguration weatherTool() {
    Document schema = Document.mapBuilder().putString("type", "object")
        .putDocument("properties", Document.mapBuilder()
            .putDocument("city", Document.mapBuilder().putString("type", "string").build()).build())
        .putList("required", l -> l.addString("city")).build();
    return ToolConfiguration.builder().tools(Tool.fromToolSpec(ToolSpecification.builder().name("get_weather")
        .description("Current weather in a city").inputSchema(ToolInputSchema.fromJson(schema)).build())).build();
  }

  static String text(ConverseResponse response) {
    StringBuilder sb = new StringBuilder();
    for (ContentBlock b : response.output().message().content()) {
      if (b.text() != null) sb.append(b.text());
    }
    return sb.toString();
  }

  static String huge() {
    StringBuilder huge = new StringBuilder();
    for (int i = 0; i < 20_000; i++) huge.append("lorem ");
    return huge.toString();
  }

  String stream(String scenario, String text) throws Exception {
    StringBuilder out = new StringBuilder();
    AtomicInteger events = new AtomicInteger();
    ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
        .subscriber(ConverseStreamResponseHandler.Visitor.builder()
            .onDefault(e -> events.incrementAndGet())
            .onContentBlockDelta(e -> {
              events.incrementAndGet();
              if (e.delta().text() != null) out.append(e.delta().text());
            }).build())
        .build();
    async.converseStream(ConverseStreamRequest.builder().modelId(MODEL).messages(user(text))
        .overrideConfiguration(scenario(scenario)).build(), handler).get(30, TimeUnit.SECONDS);
    return "events=" + events.get() + " text=" + out;
  }

  String run(String scenario) throws Exception {
    switch (scenario) {
      case "converse":
      case "converse-retried":
        return text(client.converse(converse(scenario, "Say hello")));
      case "converse-async":
        return text(async.converse(converse(scenario, "Say hello")).join());
      case "converse-stream":
        return stream(scenario, "Tell me a short story");
      case "converse-stream-cancelled": {
        // The app reads two events and cancels its subscription.
        CompletableFuture<Integer> read = new CompletableFuture<>();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
            .onEventStream(publisher -> publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
              private Subscription subscription;
              private int count;

              @Override
              public void onSubscribe(Subscription s) {
                subscription = s;
                s.request(2);
              }

              @Override
              public void onNext(ConverseStreamOutput event) {
                if (++count == 2) {
                  subscription.cancel();
                  read.complete(count);
                }
              }

              @Override
              public void onError(Throwable t) {
                read.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                read.complete(count);
              }
            })).build();
        async.converseStream(ConverseStreamRequest.builder().modelId(MODEL).messages(user("Tell me a short story"))
            .overrideConfiguration(scenario(scenario)).build(), handler);
        return "events=" + read.get(30, TimeUnit.SECONDS);
      }
      case "tool-use": {
        List<Message> conversation = new ArrayList<>();
        conversation.add(user("What is the weather in Paris?"));
        ConverseResponse asked = client.converse(ConverseRequest.builder().modelId(MODEL).messages(conversation)
            .toolConfig(weatherTool()).overrideConfiguration(scenario(scenario)).build());
        ToolUseBlock use = asked.output().message().content().stream().filter(b -> b.toolUse() != null)
            .findFirst().orElseThrow(() -> new IllegalStateException("no toolUse: " + asked)).toolUse();
        conversation.add(asked.output().message());
        conversation.add(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromToolResult(
            ToolResultBlock.builder().toolUseId(use.toolUseId())
                .content(ToolResultContentBlock.fromText("{\"city\": \"Paris\", \"temperature_c\": 18}")).build()))
            .build());
        ConverseResponse answer = client.converse(ConverseRequest.builder().modelId(MODEL).messages(conversation)
            .toolConfig(weatherTool()).overrideConfiguration(scenario(scenario)).build());
        return "tool=" + use.toolUseId() + " answer=" + text(answer);
      }
      case "cached": {
        // The same long system prompt twice, with a cache point: written by the first call, read by the second.
        StringBuilder rules = new StringBuilder("You are a support agent. ");
        for (int i = 0; i < 40; i++) rules.append("Rule ").append(i).append(" applies. ");
        List<SystemContentBlock> system = new ArrayList<>();
        system.add(SystemContentBlock.fromText(rules.toString()));
        system.add(SystemContentBlock.fromCachePoint(CachePointBlock.builder().type(CachePointType.DEFAULT).build()));
        String first = text(client.converse(converse(scenario, "Say hello").toBuilder().system(system).build()));
        String second = text(client.converse(converse(scenario, "Say hi").toBuilder().system(system).build()));
        return first + " | " + second;
      }
      case "invoke": {
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
        return client.invokeModel(InvokeModelRequest.builder().modelId(MODEL).body(SdkBytes.fromUtf8String(body))
            .overrideConfiguration(scenario(scenario)).build()).body().asUtf8String().length() > 0 ? "body" : "empty";
      }
      case "invoke-embed": {
        String body = "{\"inputText\":\"The quick brown fox\"}";
        String json = async.invokeModel(InvokeModelRequest.builder().modelId(EMBEDDING_MODEL)
            .body(SdkBytes.fromUtf8String(body)).overrideConfiguration(scenario(scenario)).build()).join()
            .body().asUtf8String();
        return json.contains("\"embedding\"") ? "embedding" : json;
      }
      case "invoke-stream": {
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a short story\"}]}";
        AtomicInteger chunks = new AtomicInteger();
        InvokeModelWithResponseStreamResponseHandler handler = InvokeModelWithResponseStreamResponseHandler.builder()
            .subscriber(InvokeModelWithResponseStreamResponseHandler.Visitor.builder()
                .onChunk(c -> chunks.incrementAndGet()).build())
            .build();
        async.invokeModelWithResponseStream(InvokeModelWithResponseStreamRequest.builder().modelId(MODEL)
            .body(SdkBytes.fromString(body, StandardCharsets.UTF_8)).overrideConfiguration(scenario(scenario)).build(),
            handler).get(30, TimeUnit.SECONDS);
        return "chunks=" + chunks.get();
      }
      case "gov-big-prompt":
        return text(client.converse(converse(scenario, huge())));
      case "gov-loop": {
        // An agent stuck in a loop: the same request again and again within one run.
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < 3; i++) {
          try {
            client.converse(converse(scenario, "Say hello"));
            outcomes.append(i == 0 ? "" : ",").append("ok");
          } catch (RuntimeException e) {
            outcomes.append(i == 0 ? "" : ",").append("error ").append(e.getClass().getName());
          }
        }
        return outcomes.toString();
      }
      case "gov-stream-refused":
        try {
          return stream(scenario, huge());
        } catch (java.util.concurrent.ExecutionException e) {
          throw (Exception) e.getCause();
        }
      default:
        if (scenario.startsWith("out-")) return outputs.run(scenario);
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }
}
