package dev.llmotel.instrumentation.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
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
}
