package dev.llmotel.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.output.OutputCheck;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.core.output.OutputValidation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatGenerationMetadata;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.metadata.EmptyUsage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.ResponseFormat;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/** Spring AI's provider-neutral Prompt and ChatResponse mapped onto the shared call model. */
class ChatMapperTest {
  static ChatModelObservationContext context(Prompt prompt, String provider) {
    return ChatModelObservationContext.builder().prompt(prompt).provider(provider).build();
  }

  @Test
  void theRequestGivesProviderModelParametersAndEveryMessage() {
    AssistantMessage askedTool = AssistantMessage.builder().content("")
        .toolCalls(List.of(new AssistantMessage.ToolCall("call_1", "function", "get_weather", "{\"city\":\"Paris\"}")))
        .build();
    Prompt prompt = new Prompt(List.of(new SystemMessage("You are terse."), new UserMessage("Weather in Paris?"),
        askedTool, ToolResponseMessage.builder()
            .responses(List.of(new ToolResponseMessage.ToolResponse("call_1", "get_weather", "{\"c\":18}"))).build()),
        ChatOptions.builder().model("gpt-4o-mini").temperature(0.2).maxTokens(100).topP(0.9)
            .stopSequences(List.of("END")).build());
    LlmCall call = ChatMapper.request(context(prompt, "openai"));
    assertEquals("openai", call.provider());
    assertEquals("chat", call.operation());
    assertEquals("gpt-4o-mini", call.request().requestModel());
    assertEquals(0.2, call.request().temperature());
    assertEquals(100L, call.request().maxTokens());
    assertEquals(0.9, call.request().topP());
    assertEquals(List.of("END"), call.request().stopSequences());
    assertEquals("You are terse.", call.request().systemInstructions().get(0).content);
    List<LlmMessage> in = call.request().inputMessages();
    assertEquals(List.of("user", "assistant", "tool"), in.stream().map(LlmMessage::role).collect(java.util.stream.Collectors.toList()));
    assertEquals("get_weather", in.get(1).parts().get(0).name);
    assertEquals("call_1", in.get(2).parts().get(0).id);
  }

  @Test
  void theToolsOnTheRequestsOptionsAreItsToolDefinitions() {
    ToolCallback weather = new ToolCallback() {
      @Override
      public ToolDefinition getToolDefinition() {
        return ToolDefinition.builder().name("get_weather").description("Current weather in a city")
            .inputSchema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}").build();
      }

      @Override
      public String call(String toolInput) {
        throw new AssertionError("mapping a request never runs a tool");
      }
    };
    Prompt prompt = new Prompt(List.of(new UserMessage("Weather in Paris?")),
        ToolCallingChatOptions.builder().model("gpt-4o-mini").toolCallbacks(List.of(weather)).build());
    LlmCall call = ChatMapper.request(context(prompt, "openai"));
    assertEquals(1, call.request().toolDefinitions().size());
    dev.llmotel.core.ToolDefinition tool = call.request().toolDefinitions().get(0);
    assertEquals("function", tool.type);
    assertEquals("get_weather", tool.name);
    assertEquals("Current weather in a city", tool.description);
    assertEquals("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}", tool.parametersJson);
    assertTrue(call.request().systemInstructions().isEmpty(), "no system prompt: the tools alone are the template");
  }

  @Test
  void theResponseGivesIdModelUsageFinishReasonsAndToolCallIds() {
    LlmCall call = new LlmCall("openai", "chat");
    AssistantMessage output = AssistantMessage.builder().content("")
        .toolCalls(List.of(new AssistantMessage.ToolCall("call_7", "function", "get_weather", "{}"))).build();
    ChatResponse response = new ChatResponse(
        List.of(new Generation(output, ChatGenerationMetadata.builder().finishReason("TOOL_CALLS").build())),
        ChatResponseMetadata.builder().id("chatcmpl-1").model("gpt-4o-mini-2024-07-18")
            .usage(new DefaultUsage(12, 5)).build());
    ChatMapper.response(call, response);
    assertEquals("chatcmpl-1", call.response().responseId());
    assertEquals("gpt-4o-mini-2024-07-18", call.response().responseModel());
    assertEquals(12L, call.response().inputTokens());
    assertEquals(5L, call.response().outputTokens());
    assertEquals(List.of("tool_calls"), call.response().finishReasons());
    assertEquals(List.of("call_7"), call.response().toolCallIds());
  }

  @Test
  void noUsageFromTheProviderIsUnknownNotZero() {
    LlmCall call = new LlmCall("ollama", "chat");
    ChatMapper.response(call, new ChatResponse(List.of(new Generation(new AssistantMessage("hi"))),
        ChatResponseMetadata.builder().usage(new EmptyUsage()).build()));
    assertNull(call.response().inputTokens());
    assertNull(call.response().outputTokens());
  }

  @Test
  void springAiProviderNamesBecomeSemconvProviderNames() {
    assertEquals("openai", SpringAiProviders.of("openai_sdk"));
    assertEquals("azure.ai.openai", SpringAiProviders.of("azure-openai"));
    assertEquals("aws.bedrock", SpringAiProviders.of("bedrock_converse"));
    assertEquals("gcp.vertex_ai", SpringAiProviders.of("vertex_ai"));
    assertEquals("anthropic", SpringAiProviders.of("anthropic"));
    assertEquals("spring_ai", SpringAiProviders.of((String) null));
  }

  @Test
  void theAgentIsNamedByTheApplicationClassThatCalledTheChatClient() {
    assertEquals("WeatherAgent", AgentNames.simpleName("com.acme.WeatherAgent$$SpringCGLIB$$0"));
    assertEquals("WeatherAgent", AgentNames.simpleName("com.acme.WeatherAgent$Inner"));
    assertEquals(false, AgentNames.isApplicationClass("org.springframework.ai.chat.client.DefaultChatClient"));
    assertEquals(false, AgentNames.isApplicationClass("reactor.core.publisher.Flux"));
    assertEquals(true, AgentNames.isApplicationClass("com.acme.WeatherAgent"));
  }

  private static LlmCall ask(org.springframework.ai.content.Media media) {
    return ChatMapper.request(context(new Prompt(List.of(UserMessage.builder().text("Total on this page?")
        .media(media).build()), ChatOptions.builder().model("gpt-4o-mini").build()), "openai"));
  }

  @Test
  void userMediaIsMappedByWhatIdentifiesItNeverItsBytes() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1};
    LlmCall call = ask(org.springframework.ai.content.Media.builder()
        .mimeType(org.springframework.util.MimeTypeUtils.IMAGE_PNG).data(png).build());
    LlmMessage.Part image = call.request().inputMessages().get(0).parts().get(1);
    assertEquals(LlmMessage.Part.BLOB, image.type);
    assertEquals("image", image.modality);
    assertEquals("image/png", image.mimeType);
    assertEquals(5L, image.sizeBytes);
    assertEquals(64, image.contentHash.length());
    assertNull(image.content);
    LlmMessage.Part url = ask(org.springframework.ai.content.Media.builder()
        .mimeType(org.springframework.util.MimeTypeUtils.IMAGE_JPEG).data(java.net.URI.create("https://example.com/p.jpg"))
        .build()).request().inputMessages().get(0).parts().get(1);
    assertEquals(LlmMessage.Part.URI, url.type);
    assertEquals("https://example.com/p.jpg", url.content);
    LlmMessage.Part pdf = ask(org.springframework.ai.content.Media.builder()
        .mimeType(org.springframework.util.MimeType.valueOf("application/pdf")).data(new byte[] {1, 2}).build())
        .request().inputMessages().get(0).parts().get(1);
    assertEquals("document", pdf.modality);
    // Governance: another image is another request; an image counts (OpenAI's rule, size unknown: 765).
    LlmCall other = ask(org.springframework.ai.content.Media.builder()
        .mimeType(org.springframework.util.MimeTypeUtils.IMAGE_PNG).data(new byte[] {7}).build());
    org.junit.jupiter.api.Assertions.assertNotEquals(dev.llmotel.core.governance.Fingerprints.requestHash(call),
        dev.llmotel.core.governance.Fingerprints.requestHash(other));
    LlmCall textOnly = ChatMapper.request(context(new Prompt(List.of(new UserMessage("Total on this page?")),
        ChatOptions.builder().model("gpt-4o-mini").build()), "openai"));
    assertEquals(dev.llmotel.core.governance.Fingerprints.estimateInputTokens(textOnly) + 765,
        dev.llmotel.core.governance.Fingerprints.estimateInputTokens(call));
  }

  // ---- output validation: what the request declared, and the answer kept to check against it ----

  static final String PERSON = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
      + "\"age\":{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"],\"additionalProperties\":false}";

  static LlmCall asked(ChatOptions options) {
    return ChatMapper.request(context(new Prompt(List.of(new UserMessage("Who is Ann?")), options), "openai"));
  }

  static OutputCheck answered(LlmCall call, AssistantMessage... generations) {
    ChatMapper.response(call, new ChatResponse(java.util.Arrays.stream(generations).map(Generation::new)
        .collect(java.util.stream.Collectors.toList())));
    return OutputValidation.check(call.request().outputContract(), call.request().toolDefinitions(),
        call.response().answerForValidation());
  }

  static AssistantMessage text(String text) {
    return new AssistantMessage(text);
  }

  static OpenAiChatOptions openAi11(ResponseFormat.Type type, String schema) {
    ResponseFormat.Builder format = ResponseFormat.builder().type(type);
    if (schema != null) format.jsonSchema(schema);
    return OpenAiChatOptions.builder().model("gpt-4o-mini").responseFormat(format.build()).build();
  }

  @Test
  void openAis11ResponseFormatDeclaresItsSchema() {
    LlmCall call = asked(openAi11(ResponseFormat.Type.JSON_SCHEMA, PERSON));
    assertEquals("json", call.request().outputType());
    assertEquals(OutputContract.Shape.SCHEMA, call.request().outputContract().shape());
    assertEquals("valid", answered(call, text("{\"name\":\"Ann\",\"age\":30}")).result);
    OutputCheck invalid = answered(asked(openAi11(ResponseFormat.Type.JSON_SCHEMA, PERSON)), text("{\"name\":\"Ann\",\"age\":\"30\"}"));
    assertEquals("invalid", invalid.result);
    assertEquals("$.age: type", invalid.error);
    OutputCheck object = answered(asked(openAi11(ResponseFormat.Type.JSON_OBJECT, null)), text("[\"Ann\"]"));
    assertEquals("$: type", object.error);
  }

  /** 2.0's OpenAI options, as far as they are read: the response format names the schema as text. */
  public static final class OpenAi20Options extends org.springframework.ai.chat.prompt.DefaultChatOptions {
    public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }

    public static final class Format {
      public Type getType() { return Type.JSON_SCHEMA; }

      public String getJsonSchema() { return PERSON; }
    }

    public Format getResponseFormat() { return new Format(); }
  }

  @Test
  void openAis20ResponseFormatDeclaresItsSchemaAsText() {
    LlmCall call = asked(new OpenAi20Options());
    assertEquals(PERSON, call.request().outputContract().schemaJson());
    assertEquals("invalid", answered(call, text("{\"name\":\"Ann\"}")).result);
  }

  @Test
  void otherProvidersDeclareTheirSchemaAsStructuredOutputOptions() {
    LlmCall call = asked(AnthropicChatOptions.builder().model("claude-sonnet-4-5").outputSchema(PERSON).build());
    assertEquals(OutputContract.Shape.SCHEMA, call.request().outputContract().shape());
    OutputCheck missing = answered(call, text("{\"name\":\"Ann\"}"));
    assertEquals("$: required", missing.error);
  }

  @Test
  void withNothingDeclaredNothingOfTheAnswerIsKept() {
    // 1.1's OpenAI options throw when asked for their output schema without a response format.
    LlmCall call = asked(OpenAiChatOptions.builder().model("gpt-4o-mini").build());
    assertNull(call.request().outputContract());
    assertNull(answered(call, text("{\"name\":\"Ann\"}"),
        AssistantMessage.builder().content("").toolCalls(List.of(weatherCall("{}"))).build()));
    assertNull(call.response().answerForValidation());
  }

  static AssistantMessage.ToolCall weatherCall(String arguments) {
    return new AssistantMessage.ToolCall("call_1", "function", "get_weather", arguments);
  }

  static final ToolCallback WEATHER = new ToolCallback() {
    @Override
    public ToolDefinition getToolDefinition() {
      return ToolDefinition.builder().name("get_weather").description("Weather")
          .inputSchema("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}")
          .build();
    }

    @Override
    public String call(String toolInput) {
      throw new AssertionError("mapping never runs a tool");
    }
  };

  @Test
  void toolCallsAreCheckedAgainstTheirToolsInputSchema() {
    ToolCallingChatOptions options = ToolCallingChatOptions.builder().model("gpt-4o-mini").toolCallbacks(List.of(WEATHER)).build();
    OutputCheck valid = answered(asked(options), AssistantMessage.builder().content("")
        .toolCalls(List.of(weatherCall("{\"city\":\"Paris\"}"))).build());
    assertEquals("valid", valid.result);
    OutputCheck invalid = answered(asked(options), AssistantMessage.builder().content("")
        .toolCalls(List.of(weatherCall("{\"town\":\"Paris\"}"))).build());
    assertEquals("invalid", invalid.result);
    assertEquals("tool get_weather: $: required", invalid.error);
  }

  @Test
  void toolsOfferedByNameAreDeclaredWithoutASchema() {
    // 1.1: the model resolves tools named on the options; their calls are declared, not checked.
    LlmCall call = asked(OpenAiChatOptions.builder().model("gpt-4o-mini").toolCallbacks(WEATHER).toolNames("get_time").build());
    assertEquals(List.of("get_weather", "get_time"), call.request().toolDefinitions().stream().map(t -> t.name)
        .collect(java.util.stream.Collectors.toList()));
    assertEquals("valid", answered(call, AssistantMessage.builder().content("").toolCalls(List.of(weatherCall("{\"city\":\"Paris\"}"),
        new AssistantMessage.ToolCall("call_2", "function", "get_time", "{}"))).build()).result);
  }

  @Test
  void anAnthropicThinkingBlockIsNotTheAnswerAndARefusalIsNoAnswerToCheck() {
    AssistantMessage thinking = AssistantMessage.builder().content("Ann... the user wants JSON.")
        .properties(java.util.Map.of("signature", "sig")).build();
    assertEquals("valid", answered(asked(AnthropicChatOptions.builder().outputSchema(PERSON).build()),
        thinking, text("{\"name\":\"Ann\",\"age\":30}")).result);
    LlmCall refused = asked(openAi11(ResponseFormat.Type.JSON_SCHEMA, PERSON));
    answered(refused, AssistantMessage.builder().content(null).properties(java.util.Map.of("refusal", "I can't help with that.")).build());
    assertTrue(refused.response().modelRefused());
    LlmCall answeredCall = asked(openAi11(ResponseFormat.Type.JSON_SCHEMA, PERSON));
    answered(answeredCall, AssistantMessage.builder().content("{}").properties(java.util.Map.of("refusal", "")).build());
    assertEquals(false, answeredCall.response().modelRefused());
  }
}
