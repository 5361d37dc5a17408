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
    assertEquals("gpt-4o-mini", call.request().requestModel());
    assertEquals(0.3, call.request().temperature());
    assertEquals(0.9, call.request().topP());
    assertEquals(50L, call.request().maxTokens());
    assertEquals(List.of("END"), call.request().stopSequences());
    assertEquals("Be brief.", call.request().systemInstructions().get(0).content);
    assertEquals(3, call.request().inputMessages().size(), "user, assistant with the tool call, tool result");
    assertEquals("tool", call.request().inputMessages().get(2).role());
    assertEquals("get_weather", call.request().toolDefinitions().get(0).name);
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
    assertEquals("chatcmpl-1", call.response().responseId());
    assertEquals("gpt-4o-mini-2024-07-18", call.response().responseModel());
    assertEquals(30L, call.response().inputTokens());
    assertEquals(4L, call.response().outputTokens());
    assertEquals(List.of("tool_calls"), call.response().finishReasons());
    assertEquals(List.of("call_7"), call.response().toolCallIds());
  }

  @Test
  void aResponseWithoutUsageOrMetadataLosesOnlyThose() {
    LlmCall call = new LlmCall("ollama", "chat");
    ChatMapper.response(call, ChatResponse.builder().aiMessage(AiMessage.from("hi")).build());
    assertNull(call.response().inputTokens());
    assertNull(call.response().responseId());
    assertEquals(List.of(), call.response().toolCallIds());
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

  private static LlmCall ask(dev.langchain4j.data.message.Content media) {
    ChatRequest request = ChatRequest.builder().modelName("gpt-4o-mini")
        .messages(UserMessage.from(dev.langchain4j.data.message.TextContent.from("Total on this page?"), media)).build();
    return ChatMapper.request(new OpenAiTestModel(), request);
  }

  @Test
  void imagesAudioAndPdfsAreMappedByWhatIdentifiesThemNeverTheirBytes() {
    LlmCall call = ask(dev.langchain4j.data.message.ImageContent.from("iVBORw0KGgo=", "image/png"));
    dev.llmotel.core.LlmMessage.Part image = call.request().inputMessages().get(0).parts().get(1);
    assertEquals(dev.llmotel.core.LlmMessage.Part.BLOB, image.type);
    assertEquals("image", image.modality);
    assertEquals("image/png", image.mimeType);
    assertEquals(dev.llmotel.core.MediaParts.sha256Hex("iVBORw0KGgo="), image.contentHash);
    assertEquals(8L, image.sizeBytes);
    assertNull(image.content);
    dev.llmotel.core.LlmMessage.Part url = ask(dev.langchain4j.data.message.ImageContent.from(
        "https://example.com/p2.png")).request().inputMessages().get(0).parts().get(1);
    assertEquals(dev.llmotel.core.LlmMessage.Part.URI, url.type);
    assertEquals("https://example.com/p2.png", url.content);
    dev.llmotel.core.LlmMessage.Part pdf = ask(dev.langchain4j.data.message.PdfFileContent.from(
        dev.langchain4j.data.pdf.PdfFile.builder().base64Data("JVBERi0xLjQK").build())).request().inputMessages().get(0).parts().get(1);
    assertEquals("document", pdf.modality);
    assertEquals("application/pdf", pdf.mimeType);
    assertEquals(9L, pdf.sizeBytes);
    dev.llmotel.core.LlmMessage.Part audio = ask(dev.langchain4j.data.message.AudioContent.from(
        dev.langchain4j.data.audio.Audio.builder().base64Data("UklGRiQAAABXQVZF").mimeType("audio/wav").build()))
        .request().inputMessages().get(0).parts().get(1);
    assertEquals("audio", audio.modality);
    assertEquals(12L, audio.sizeBytes);
    // Governance: another page is another request; the image counts (OpenAI's rule, size unknown: 765).
    LlmCall other = ask(dev.langchain4j.data.message.ImageContent.from("AAAAAAAAAAA=", "image/png"));
    org.junit.jupiter.api.Assertions.assertNotEquals(dev.llmotel.core.governance.Fingerprints.requestHash(call),
        dev.llmotel.core.governance.Fingerprints.requestHash(other));
    LlmCall textOnly = ChatMapper.request(new OpenAiTestModel(), ChatRequest.builder().modelName("gpt-4o-mini")
        .messages(UserMessage.from(dev.langchain4j.data.message.TextContent.from("Total on this page?"))).build());
    assertEquals(dev.llmotel.core.governance.Fingerprints.estimateInputTokens(textOnly) + 765,
        dev.llmotel.core.governance.Fingerprints.estimateInputTokens(call));
  }
}
