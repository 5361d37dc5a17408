package dev.llmotel.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.output.OutputCheck;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.core.output.OutputValidation;
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

  // ---- output validation: what the request declared, and the answer kept to check against it ----

  static final JsonObjectSchema PERSON = JsonObjectSchema.builder()
      .addStringProperty("name").addIntegerProperty("age")
      .addEnumProperty("mood", List.of("happy", "sad"))
      .addProperty("friends", JsonArraySchema.builder().items(JsonReferenceSchema.builder().reference("Friend").build()).build())
      .required("name").additionalProperties(false)
      .definitions(java.util.Map.of("Friend", JsonObjectSchema.builder().addStringProperty("name").required("name").build()))
      .build();

  static final ToolSpecification WEATHER = ToolSpecification.builder().name("get_weather").description("Weather")
      .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();

  static LlmCall asked(ChatRequest.Builder request) {
    return ChatMapper.request(new OpenAiTestModel(), request.messages(UserMessage.from("Who is Ann?")).build());
  }

  static OutputCheck answered(LlmCall call, AiMessage answer) {
    ChatMapper.response(call, ChatResponse.builder().aiMessage(answer).build());
    return OutputValidation.check(call.request().outputContract(), call.request().toolDefinitions(),
        call.response().answerForValidation());
  }

  static ChatRequest.Builder withSchema() {
    return ChatRequest.builder().responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
        .jsonSchema(JsonSchema.builder().name("Person").rootElement(PERSON).build()).build());
  }

  @Test
  void theElementTreeIsCheckedAsItsJsonSchema() {
    assertEquals("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
        + "\"age\":{\"type\":[\"integer\",\"null\"]},"
        + "\"mood\":{\"anyOf\":[{\"type\":\"string\",\"enum\":[\"happy\",\"sad\"]},{\"type\":\"null\"}]},"
        + "\"friends\":{\"type\":[\"array\",\"null\"],\"items\":{\"$ref\":\"#/$defs/Friend\"}}},"
        + "\"required\":[\"name\"],\"additionalProperties\":false,"
        + "\"$defs\":{\"Friend\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}},"
        + "\"required\":[\"name\"]}}}", JsonSchemaElements.toJsonSchema(PERSON));
  }

  @Test
  void anAnswerIsCheckedAgainstTheSchemaOfItsResponseFormat() {
    LlmCall call = asked(withSchema());
    assertEquals("json", call.request().outputType());
    assertEquals(OutputContract.Shape.SCHEMA, call.request().outputContract().shape());
    OutputCheck valid = answered(call, AiMessage.from(
        "{\"name\":\"Ann\",\"age\":null,\"mood\":\"happy\",\"friends\":[{\"name\":\"Bo\"}]}"));
    assertEquals("valid", valid.result, "an optional property may be null: strict schemas send it so");
    OutputCheck invalid = answered(asked(withSchema()), AiMessage.from("{\"name\":\"Ann\",\"friends\":[{}]}"));
    assertEquals("invalid", invalid.result);
    assertEquals("$.friends[0]: required", invalid.error);
    OutputCheck extra = answered(asked(withSchema()), AiMessage.from("{\"name\":\"Ann\",\"nickname\":\"A\"}"));
    assertEquals("$: additionalProperties", extra.error);
  }

  /**
   * A model that sends its schemas strict (LangChain4j's OpenAI models with strictJsonSchema and
   * strictTools) holds the answer to that: every property required, no others.
   */
  @Test
  void aStrictModelsAnswerIsHeldToTheStrictSchema() {
    Object strict = new dev.langchain4j.model.openai.StrictOpenAiChatModel();
    JsonObjectSchema city = JsonObjectSchema.builder().addStringProperty("city").addIntegerProperty("population")
        .required("city").build();
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("The capital of France?"))
        .responseFormat(ResponseFormat.builder().type(dev.langchain4j.model.chat.request.ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder().name("City").rootElement(city).build()).build())
        .toolSpecifications(WEATHER).build();
    OutputCheck missing = answered(ChatMapper.request(strict, request), AiMessage.from("{\"city\":\"Paris\"}"));
    assertEquals("$: required", missing.error, "strict: population is required (it may be null)");
    assertEquals("valid", answered(ChatMapper.request(strict, request),
        AiMessage.from("{\"city\":\"Paris\",\"population\":null}")).result);
    assertEquals("$: additionalProperties", answered(ChatMapper.request(strict, request),
        AiMessage.from("{\"city\":\"Paris\",\"population\":1,\"mayor\":\"x\"}")).error);
    assertEquals("valid", answered(asked(ChatRequest.builder().responseFormat(request.responseFormat())),
        AiMessage.from("{\"city\":\"Paris\"}")).result, "not strict: population is optional");
    assertTrue(ChatMapper.request(strict, request).request().toolDefinitions().get(0).parametersJsonSchema
        .contains("\"additionalProperties\":false"), "strict tools too");
  }

  @Test
  void jsonWithoutASchemaMustBeAnObject() {
    LlmCall call = asked(ChatRequest.builder().responseFormat(ResponseFormat.JSON));
    assertEquals(OutputContract.Shape.JSON_OBJECT, call.request().outputContract().shape());
    assertEquals("valid", answered(call, AiMessage.from("{\"name\":\"Ann\"}")).result);
    OutputCheck array = answered(asked(ChatRequest.builder().responseFormat(ResponseFormat.JSON)), AiMessage.from("[1]"));
    assertEquals("invalid", array.result);
    assertEquals("$: type", array.error);
    assertEquals("not_json", answered(asked(ChatRequest.builder().responseFormat(ResponseFormat.JSON)),
        AiMessage.from("Ann is 30.")).result);
  }

  @Test
  void toolCallsAreCheckedAgainstTheirToolsParameters() {
    LlmCall call = asked(ChatRequest.builder().toolSpecifications(WEATHER));
    assertEquals("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
        call.request().toolDefinitions().get(0).parametersJsonSchema);
    assertNull(call.request().toolDefinitions().get(0).parametersJson, "not JSON as declared: nothing to export");
    assertEquals("valid", answered(call, toolCall("get_weather", "{\"city\":\"Paris\"}")).result);
    OutputCheck wrongType = answered(asked(ChatRequest.builder().toolSpecifications(WEATHER)),
        toolCall("get_weather", "{\"city\":3}"));
    assertEquals("invalid", wrongType.result);
    assertEquals("tool get_weather: $.city: type", wrongType.error);
    assertEquals("tool get_time: not a declared tool", answered(asked(ChatRequest.builder().toolSpecifications(WEATHER)),
        toolCall("get_time", "{}")).error);
  }

  private static AiMessage toolCall(String name, String arguments) {
    return AiMessage.from(List.of(ToolExecutionRequest.builder().id("call_1").name(name).arguments(arguments).build()));
  }

  @Test
  void withNothingDeclaredNothingOfTheAnswerIsKept() {
    LlmCall call = asked(ChatRequest.builder());
    assertNull(call.request().outputContract());
    ChatMapper.response(call, ChatResponse.builder().aiMessage(toolCall("get_weather", "{}")).build());
    ChatMapper.response(call, ChatResponse.builder().aiMessage(AiMessage.from("{\"name\":\"Ann\"}")).build());
    assertNull(call.response().answerForValidation());
  }

  /** A model whose defaults ask for JSON: AI services leave the format to them, chat() merges it only later. */
  static final class JsonDefaultsModel implements dev.langchain4j.model.chat.ChatModel {
    @Override
    public dev.langchain4j.model.chat.request.ChatRequestParameters defaultRequestParameters() {
      return dev.langchain4j.model.chat.request.ChatRequestParameters.builder().responseFormat(ResponseFormat.JSON).build();
    }
  }

  @Test
  void theResponseFormatFallsBackToTheModelsDefaults() {
    LlmCall call = ChatMapper.request(new JsonDefaultsModel(),
        ChatRequest.builder().messages(UserMessage.from("Who is Ann?")).build());
    assertEquals(OutputContract.Shape.JSON_OBJECT, call.request().outputContract().shape());
  }
}
