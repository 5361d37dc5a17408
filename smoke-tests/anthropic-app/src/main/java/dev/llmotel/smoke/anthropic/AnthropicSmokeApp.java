package dev.llmotel.smoke.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import dev.llmotel.smoke.support.ScenarioLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A small service on the Anthropic Java SDK run under the real agent by the smoke tests: messages
 * blocking, async and streamed (read fully, async, closed early), a tool round trip, a prompt with
 * a cached system prefix, a retried 429, policy refusals and answers checked against the structure
 * their request declared ({@link OutputScenarios}), against the fake LLM server speaking the
 * Messages API. Arguments: the fake server's base URL (ending in /v1), then the scenarios.
 */
public final class AnthropicSmokeApp {
  static final String API_KEY = "sk-ant-smoke-test-secret-key-0123456789abcdef";
  /** A dated snapshot, as apps pin them; priced as its family (claude-sonnet-4). */
  static final String MODEL = "claude-sonnet-4-20250514";

  private final AnthropicClient client;
  private final OutputScenarios outputs;

  AnthropicSmokeApp(String baseUrl) {
    // The SDK appends /v1/messages itself.
    String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    this.client = AnthropicOkHttpClient.builder().baseUrl(root).apiKey(API_KEY).maxRetries(1).build();
    this.outputs = new OutputScenarios(client);
  }

  public static void main(String[] args) {
    AnthropicSmokeApp app = new AnthropicSmokeApp(args[0]);
    ScenarioLoop.runAll(args, app::run);
  }

  static MessageCreateParams.Builder params(String scenario, String user) {
    return MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage(user)
        .putAdditionalHeader("x-fake-scenario", scenario);
  }

  static Tool weatherTool() {
    Map<String, Object> city = Collections.singletonMap("type", "string");
    return Tool.builder().name("get_weather").description("Current weather in a city")
        .inputSchema(Tool.InputSchema.builder()
            .putAdditionalProperty("properties", JsonValue.from(Collections.singletonMap("city", city)))
            .putAdditionalProperty("required", JsonValue.from(Collections.singletonList("city")))
            .build())
        .build();
  }

  static String text(Message message) {
    return message.content().stream().filter(ContentBlock::isText).map(b -> b.asText().text())
        .collect(Collectors.joining());
  }

  /** The text deltas of a stream's events. */
  static String text(List<RawMessageStreamEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (RawMessageStreamEvent e : events) {
      if (e.isContentBlockDelta() && e.asContentBlockDelta().delta().isText()) {
        sb.append(e.asContentBlockDelta().delta().asText().text());
      }
    }
    return sb.toString();
  }

  String run(String scenario) throws Exception {
    switch (scenario) {
      case "chat":
      case "chat-retried":
        return text(client.messages().create(params(scenario, "Say hello").build()));
      case "chat-async":
        return text(client.async().messages().create(params(scenario, "Say hello").build()).join());
      case "chat-stream": {
        List<RawMessageStreamEvent> events;
        try (StreamResponse<RawMessageStreamEvent> stream =
            client.messages().createStreaming(params(scenario, "Tell me a short story").build())) {
          events = stream.stream().collect(Collectors.toList());
        }
        return "events=" + events.size() + " text=" + text(events);
      }
      case "chat-stream-async": {
        List<RawMessageStreamEvent> events = Collections.synchronizedList(new ArrayList<>());
        AsyncStreamResponse<RawMessageStreamEvent> stream =
            client.async().messages().createStreaming(params(scenario, "Tell me a short story").build());
        CompletableFuture<Void> done = new CompletableFuture<>();
        stream.subscribe(new AsyncStreamResponse.Handler<RawMessageStreamEvent>() {
          @Override
          public void onNext(RawMessageStreamEvent event) {
            events.add(event);
          }

          @Override
          public void onComplete(Optional<Throwable> error) {
            if (error.isPresent()) done.completeExceptionally(error.get()); else done.complete(null);
          }
        });
        done.join();
        return "events=" + events.size() + " text=" + text(events);
      }
      case "chat-stream-closed-early": {
        AtomicInteger read = new AtomicInteger();
        try (StreamResponse<RawMessageStreamEvent> stream =
            client.messages().createStreaming(params(scenario, "Tell me a short story").build())) {
          stream.stream().limit(3).forEach(e -> read.incrementAndGet());
        }
        return "events=" + read.get();
      }
      case "tool-use": {
        Message asked = client.messages().create(params(scenario, "What is the weather in Paris?")
            .addTool(weatherTool()).build());
        ContentBlock toolUse = asked.content().stream().filter(ContentBlock::isToolUse).findFirst()
            .orElseThrow(() -> new IllegalStateException("no tool_use: " + asked));
        String id = toolUse.asToolUse().id();
        Message answer = client.messages().create(ToolResults.add(params(scenario, "What is the weather in Paris?")
            .addTool(weatherTool()).addMessage(asked), id, "{\"city\": \"Paris\", \"temperature_c\": 18}").build());
        return "tool=" + id + " answer=" + text(answer);
      }
      case "cached": {
        // The same long system prompt twice, marked cacheable: written by the first call, read by the second.
        StringBuilder rules = new StringBuilder("You are a support agent. ");
        for (int i = 0; i < 40; i++) rules.append("Rule ").append(i).append(" applies. ");
        List<TextBlockParam> system = Collections.singletonList(TextBlockParam.builder().text(rules.toString())
            .cacheControl(CacheControlEphemeral.builder().build()).build());
        String first = text(client.messages().create(params(scenario, "Say hello").systemOfTextBlockParams(system).build()));
        String second = text(client.messages().create(params(scenario, "Say hi").systemOfTextBlockParams(system).build()));
        return first + " | " + second;
      }
      case "gov-big-prompt": {
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 20_000; i++) huge.append("lorem ");
        return text(client.messages().create(params(scenario, huge.toString()).build()));
      }
      case "gov-loop": {
        // An agent stuck in a loop: the same request again and again within one run.
        StringBuilder outcomes = new StringBuilder();
        for (int i = 0; i < 3; i++) {
          try {
            client.messages().create(params(scenario, "Say hello").build());
            outcomes.append(i == 0 ? "" : ",").append("ok");
          } catch (RuntimeException e) {
            outcomes.append(i == 0 ? "" : ",").append("error ").append(e.getClass().getName());
          }
        }
        return outcomes.toString();
      }
      case "gov-stream-refused": {
        // A refused stream fails when it is created, as one whose request failed.
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 20_000; i++) huge.append("lorem ");
        try (StreamResponse<RawMessageStreamEvent> stream =
            client.messages().createStreaming(params(scenario, huge.toString()).build())) {
          return "events=" + stream.stream().count();
        }
      }
      default:
        if (scenario.startsWith("out-")) return outputs.run(scenario);
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }
}
