package dev.llmotel.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.output.OutputCheck;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.core.output.OutputValidation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Messages API's wire shapes, parsed by the SDK itself, mapped onto the shared call model. */
class MessageMapperTest {
  static <T> T parse(String json, Class<T> type) throws Exception {
    return ObjectMappers.jsonMapper().readValue(json, type);
  }

  @Test
  void theConversationIsReadFromTheRequestsWireJson() throws Exception {
    LlmCall call = new LlmCall("anthropic", "chat");
    MessageMapper.mapConversation(call, ObjectMappers.jsonMapper().readTree("{\"model\":\"m\",\"max_tokens\":5,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"Be terse.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"Paris\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"18C\"}]}],"
        + "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\",\"input_schema\":{\"type\":\"object\"}}]}"));
    assertEquals("Be terse.", call.request().systemInstructions().get(0).content);
    List<LlmMessage> in = call.request().inputMessages();
    assertEquals(3, in.size());
    assertEquals("Weather?", in.get(0).parts().get(0).content);
    assertEquals(LlmMessage.Part.TOOL_CALL, in.get(1).parts().get(0).type);
    assertEquals("{\"city\":\"Paris\"}", in.get(1).parts().get(0).arguments);
    assertEquals(LlmMessage.Part.TOOL_CALL_RESPONSE, in.get(2).parts().get(0).type);
    assertEquals("toolu_1", in.get(2).parts().get(0).id);
    assertEquals("get_weather", call.request().toolDefinitions().get(0).name);
  }

  @Test
  void aMessageGivesIdModelStopReasonToolCallsAndUsageWithTheCacheIncluded() throws Exception {
    LlmCall call = new LlmCall("anthropic", "chat");
    MessageMapper.response(call, parse("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-20250514\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_9\","
        + "\"name\":\"get_weather\",\"input\":{}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":5,"
        + "\"output_tokens\":7}}", Message.class));
    assertEquals("msg_1", call.response().responseId());
    assertEquals("claude-sonnet-4-20250514", call.response().responseModel());
    assertEquals(java.util.Arrays.asList("tool_use"), call.response().finishReasons());
    assertEquals(java.util.Arrays.asList("toolu_9"), call.response().toolCallIds());
    assertEquals(115L, call.response().inputTokens(), "the semconv input count includes cache reads and writes");
    assertEquals(7L, call.response().outputTokens());
    assertEquals(5L, call.response().cacheReadInputTokens());
    assertEquals(100L, call.response().cacheCreationInputTokens());
  }

  @Test
  void aStreamsEventsGiveTheSameAsAMessage() throws Exception {
    LlmCall call = new LlmCall("anthropic", "chat").request().streaming(true).call();
    MessageStreamAccumulator acc = new MessageStreamAccumulator(call);
    String[] events = {
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":9,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":3,"
            + "\"output_tokens\":1}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
            + "\"usage\":{\"output_tokens\":4}}",
        "{\"type\":\"message_stop\"}"};
    for (String e : events) acc.onEvent(parse(e, RawMessageStreamEvent.class));
    acc.finish();
    assertEquals("msg_2", call.response().responseId());
    assertEquals(12L, call.response().inputTokens());
    assertEquals(4L, call.response().outputTokens());
    assertEquals(java.util.Arrays.asList("end_turn"), call.response().finishReasons());
    assertEquals(6L, call.response().chunkCount());
  }

  @Test
  void aStreamCutBeforeItsFirstEventReportsNoUsage() {
    LlmCall call = new LlmCall("anthropic", "chat").request().streaming(true).call();
    new MessageStreamAccumulator(call).finish();
    assertNull(call.response().inputTokens());
  }

  @Test
  void imagesAndDocumentsAreMappedByWhatIdentifiesThemNeverTheirBytes() throws Exception {
    // Through the SDK's own params type: what the SDK keeps of each block is what is mapped.
    com.anthropic.models.messages.MessageCreateParams.Body body = parse("{\"model\":\"claude-sonnet-4\","
        + "\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Total on this page?\"},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/p2.png\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0xLjQK\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"text\",\"media_type\":\"text/plain\",\"data\":\"Grün\"}},"
        + "{\"type\":\"document\",\"source\":{\"type\":\"content\",\"content\":[{\"type\":\"text\",\"text\":\"chunk\"}]}}"
        + "]}]}", com.anthropic.models.messages.MessageCreateParams.Body.class);
    LlmCall call = new LlmCall("anthropic", "chat").request().requestModel("claude-sonnet-4").call();
    MessageMapper.mapConversation(call, AnthropicJson.tree(body));
    List<LlmMessage.Part> parts = call.request().inputMessages().get(0).parts();
    assertEquals(6, parts.size());
    LlmMessage.Part image = parts.get(1);
    assertEquals(LlmMessage.Part.BLOB, image.type);
    assertEquals("image", image.modality);
    assertEquals("image/png", image.mimeType);
    assertEquals(dev.llmotel.core.MediaParts.sha256Hex("iVBORw0KGgo="), image.contentHash);
    assertEquals(8L, image.sizeBytes);
    assertNull(image.content);
    assertEquals(LlmMessage.Part.URI, parts.get(2).type);
    assertEquals("https://example.com/p2.png", parts.get(2).content);
    assertEquals("document", parts.get(3).modality);
    assertEquals("application/pdf", parts.get(3).mimeType);
    assertEquals(5L, parts.get(4).sizeBytes, "a text document: its UTF-8 size");
    assertEquals("text/plain", parts.get(4).mimeType);
    assertEquals("chunk", parts.get(5).content);
    // Governance: a different page is a different request, and images count as tokens.
    LlmCall other = new LlmCall("anthropic", "chat").request().requestModel("claude-sonnet-4").call();
    MessageMapper.mapConversation(other, ObjectMappers.jsonMapper().readTree("{\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Total on this page?\"},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAAAAAAAAA=\"}}]}]}"));
    LlmCall same = new LlmCall("anthropic", "chat").request().requestModel("claude-sonnet-4").call();
    MessageMapper.mapConversation(same, ObjectMappers.jsonMapper().readTree("{\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Total on this page?\"},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}}]}]}"));
    org.junit.jupiter.api.Assertions.assertNotEquals(dev.llmotel.core.governance.Fingerprints.requestHash(other),
        dev.llmotel.core.governance.Fingerprints.requestHash(same));
    LlmCall textOnly = new LlmCall("anthropic", "chat").request().requestModel("claude-sonnet-4").call();
    MessageMapper.mapConversation(textOnly, ObjectMappers.jsonMapper().readTree("{\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Total on this page?\"}]}]}"));
    assertEquals(dev.llmotel.core.governance.Fingerprints.estimateInputTokens(textOnly) + 1399,
        dev.llmotel.core.governance.Fingerprints.estimateInputTokens(same), "an image of unknown size, Anthropic's rule");
  }

  @Test
  void imagesInAToolResultCountToo() throws Exception {
    LlmCall call = new LlmCall("anthropic", "chat");
    MessageMapper.mapConversation(call, ObjectMappers.jsonMapper().readTree("{\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"screenshot\"},"
        + "{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}}]}]}]}"));
    List<LlmMessage.Part> parts = call.request().inputMessages().get(0).parts();
    assertEquals("screenshot", parts.get(0).content);
    assertEquals(LlmMessage.Part.FILE, parts.get(1).type);
    assertEquals("file_011", parts.get(1).content);
    assertEquals("image", parts.get(1).modality);
  }

  // ---- output validation: what the request declared, and the answer it is checked against ----

  private static final String WEATHER_TOOL = "{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
      + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}";
  private static final String TOTAL_FORMAT = "{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\","
      + "\"properties\":{\"total\":{\"type\":\"number\"}},\"required\":[\"total\"]}}";

  /**
   * A request through the SDK's own params, with a tool and, when given, a structured output as a
   * 1.x release carries it: an additional body property.
   */
  private static LlmCall declaring(boolean tool, String outputFormat) throws Exception {
    MessageCreateParams.Builder params = MessageCreateParams.builder().model("claude-sonnet-4").maxTokens(100)
        .addUserMessage("Weather in Paris, and the total?");
    if (tool) params.addTool(parse(WEATHER_TOOL, Tool.class));
    if (outputFormat != null) params.putAdditionalBodyProperty("output_format", parse(outputFormat, JsonValue.class));
    return MessageMapper.request(params.build(), null, false);
  }

  private static Message answer(String content) throws Exception {
    return parse("{\"id\":\"msg_3\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4\","
        + "\"content\":" + content + ",\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}", Message.class);
  }

  private static OutputCheck check(LlmCall call) {
    return OutputValidation.check(call.request().outputContract(), call.request().toolDefinitions(),
        call.response().answerForValidation());
  }

  @Test
  void aStructuredOutputIsReadFromTheBodyAndItsAnswerCheckedWithCaptureOff() throws Exception {
    assertFalse(LlmOtelConfig.get().captureContent());
    LlmCall valid = declaring(false, TOTAL_FORMAT);
    assertEquals("json", valid.request().outputType());
    assertEquals(OutputContract.Shape.SCHEMA, valid.request().outputContract().shape());
    MessageMapper.response(valid, answer("[{\"type\":\"text\",\"text\":\"{\\\"total\\\":\"},"
        + "{\"type\":\"text\",\"text\":\"12.5}\"}]"));
    assertEquals("valid", check(valid).result, "the text blocks are one answer");
    LlmCall invalid = declaring(false, TOTAL_FORMAT);
    MessageMapper.response(invalid, answer("[{\"type\":\"text\",\"text\":\"{\\\"total\\\":\\\"12.5\\\"}\"}]"));
    assertEquals("invalid", check(invalid).result);
    assertEquals("$.total: type", check(invalid).error);
  }

  @Test
  void outputConfigFormatIsTheStructuredOutputOfNewerReleases() throws Exception {
    LlmCall call = new LlmCall("anthropic", "chat");
    MessageMapper.mapOutputFormat(call, ObjectMappers.jsonMapper().readTree("{\"output_config\":{\"format\":"
        + TOTAL_FORMAT + "}}"));
    assertEquals("{\"type\":\"object\",\"properties\":{\"total\":{\"type\":\"number\"}},\"required\":[\"total\"]}",
        call.request().outputContract().schemaJson());
  }

  @Test
  void aToolUsesInputIsCheckedAgainstItsToolsInputSchema() throws Exception {
    LlmCall call = declaring(true, null);
    MessageMapper.response(call, answer("[{\"type\":\"text\",\"text\":\"Let me look.\"},{\"type\":\"tool_use\","
        + "\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"town\":\"Paris\"}}]"));
    assertEquals("invalid", check(call).result, "free text beside the call: only the call is checked");
    assertEquals("tool get_weather: $: required", check(call).error);
  }

  @Test
  void withNothingDeclaredNothingIsKept() throws Exception {
    LlmCall call = declaring(false, null);
    MessageMapper.response(call, answer("[{\"type\":\"text\",\"text\":\"Sunny.\"}]"));
    assertNull(call.response().answerForValidation());
    LlmCall streamed = stream(declaring(false, null), textDelta(0, "Sunny."));
    assertNull(streamed.response().answerForValidation());
  }

  private static String textDelta(int index, String text) throws Exception {
    return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"text_delta\",\"text\":"
        + quote(text) + "}}";
  }

  private static String jsonDelta(int index, String partialJson) throws Exception {
    return "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":{\"type\":\"input_json_delta\","
        + "\"partial_json\":" + quote(partialJson) + "}}";
  }

  private static String quote(String s) throws Exception {
    return ObjectMappers.jsonMapper().writeValueAsString(s);
  }

  private static LlmCall stream(LlmCall call, String... events) throws Exception {
    MessageStreamAccumulator acc = new MessageStreamAccumulator(call);
    for (String e : events) acc.onEvent(parse(e, RawMessageStreamEvent.class));
    acc.finish();
    return call;
  }

  @Test
  void aStreamsTextAndToolInputDeltasAreCheckedByContentBlockWithCaptureOff() throws Exception {
    LlmCall valid = stream(declaring(true, TOTAL_FORMAT),
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        textDelta(0, "{\"total\":"), textDelta(0, "12.5}"),
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_2\","
            + "\"name\":\"get_weather\",\"input\":{}}}",
        jsonDelta(1, "{\"ci"), jsonDelta(1, "ty\":\"Paris\"}"));
    assertEquals("valid", check(valid).result);
    LlmCall invalid = stream(declaring(true, null),
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_3\","
            + "\"name\":\"get_weather\",\"input\":{}}}",
        jsonDelta(0, "{\"city\":"), jsonDelta(0, "7}"));
    assertEquals("invalid", check(invalid).result);
    assertEquals("tool get_weather: $.city: type", check(invalid).error);
  }
}
