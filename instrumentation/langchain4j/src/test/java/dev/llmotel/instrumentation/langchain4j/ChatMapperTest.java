package dev.llmotel.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmotel.core.LlmCall;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LangChain4j's request and response types onto the shared call model, without the agent. */
class ChatMapperTest {
  /** A provider model class as LangChain4j names them: the provider comes from the class name. */
  static final class OpenAiTestModel {}

  @Test
  void requestParametersMessagesAndToolsAreMapped() {
    ToolExecutionRequest toolRequest = ToolExecutionRequest.builder().id("call_1").name("get_weather")
        .arguments("{\"city\":\"Paris\"}").build();
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from("Be brief."), UserMessage.from("Weather in Paris?"),
            AiMessage.from(List.of(toolRequest)), ToolExecutionResultMessage.from(toolRequest, "18C"))
        .modelName("gpt-4o-mini").temperature(0.3).topP(0.9).maxOutputTokens(50).stopSequences(List.of("END"))
        .toolSpecifications(ToolSpecification.builder().name("get_weather").description("Weather").build())
        .build();
    LlmCall call = ChatMapper.request(new OpenAiTestModel(), request);
    assertEquals("openai", call.provider());
    assertEquals("chat", call.operation());
    assertEquals("gpt-4o-mini", call.requestModel());
    assertEquals(0.3, call.temperature());
    assertEquals(0.9, call.topP());
    assertEquals(50L, call.maxTokens());
    assertEquals(List.of("END"), call.stopSequences());
    assertEquals("Be brief.", call.systemInstructions().get(0).content);
    assertEquals(3, call.inputMessages().size(), "user, assistant with the tool call, tool result");
    assertEquals("tool", call.inputMessages().get(2).role());
    assertEquals("get_weather", call.toolDefinitions().get(0).name);
  }

  @Test
  void responseUsageFinishReasonAndToolCallIds() {
    ChatResponse response = ChatResponse.builder()
        .aiMessage(AiMessage.from(List.of(ToolExecutionRequest.builder().id("call_7").name("get_weather")
            .arguments("{}").build())))
        .id("chatcmpl-1").modelName("gpt-4o-mini-2024-07-18").tokenUsage(new TokenUsage(30, 4))
        .finishReason(FinishReason.TOOL_EXECUTION).build();
    LlmCall call = new LlmCall("openai", "chat");
    ChatMapper.response(call, response);
    assertEquals("chatcmpl-1", call.responseId());
    assertEquals("gpt-4o-mini-2024-07-18", call.responseModel());
    assertEquals(30L, call.inputTokens());
    assertEquals(4L, call.outputTokens());
    assertEquals(List.of("tool_calls"), call.finishReasons());
    assertEquals(List.of("call_7"), call.toolCallIds());
  }

  @Test
  void aResponseWithoutUsageOrMetadataLosesOnlyThose() {
    LlmCall call = new LlmCall("ollama", "chat");
    ChatMapper.response(call, ChatResponse.builder().aiMessage(AiMessage.from("hi")).build());
    assertNull(call.inputTokens());
    assertNull(call.responseId());
    assertEquals(List.of(), call.toolCallIds());
  }

  @Test
  void providersFromLangChain4jNamesAndClassNames() {
    assertEquals("openai", LangChain4jProviders.fromEnumName("OPEN_AI"));
    assertEquals("azure.ai.openai", LangChain4jProviders.fromEnumName("AZURE_OPEN_AI"));
    assertEquals("ollama", LangChain4jProviders.fromEnumName("OLLAMA"));
    assertNull(LangChain4jProviders.fromEnumName("OTHER"));
    assertEquals("azure.ai.openai", LangChain4jProviders.fromClassName("AzureOpenAiChatModel"));
    assertEquals("anthropic", LangChain4jProviders.fromClassName("AnthropicChatModel"));
    assertEquals("langchain4j", LangChain4jProviders.fromClassName("MyOwnModel"));
  }
}
