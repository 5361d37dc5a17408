package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.core.FinishReasons;
import dev.llmotel.core.LlmCall;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The OpenAI Responses API's conversations (its conversation id, its previous_response_id chains) and finish reasons. */
class ResponsesConversationTest {
  @Test
  void aResponsesApiChainHasTheIdOfItsFirstResponse() {
    LlmCall first = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}");
    assertNull(first.request().conversationId(), "a first request names no conversation");
    answer(first, "{\"id\":\"resp_first_1\",\"status\":\"completed\",\"output\":[]}");
    LlmCall second = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"And?\",\"previous_response_id\":\"resp_first_1\"}");
    assertEquals("resp_first_1", second.request().conversationId());
    answer(second, "{\"id\":\"resp_second_2\",\"status\":\"completed\",\"output\":[]}");
    LlmCall third = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"More\",\"previous_response_id\":\"resp_second_2\"}");
    assertEquals("resp_first_1", third.request().conversationId(), "the whole chain is one conversation");
    LlmCall elsewhere = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"previous_response_id\":\"resp_unseen\"}");
    assertEquals("resp_unseen", elsewhere.request().conversationId(), "a chain started in another process");
  }

  @Test
  void theConversationsApiIdIsTheConversation() {
    assertEquals("conv_689667905b048191b4740501625afd940c7533ace33a2dab",
        responses("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"conversation\":"
            + "\"conv_689667905b048191b4740501625afd940c7533ace33a2dab\"}").request().conversationId());
    assertEquals("conv_123", responses("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\",\"conversation\":{\"id\":\"conv_123\"}}")
        .request().conversationId());
  }

  /** Response objects as the API reference shows them: the finish reason is not the status. */
  @Test
  void responsesFinishReasonsFollowTheConventions() {
    LlmCall call = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\"}");
    answer(call, "{\"id\":\"resp_a\",\"object\":\"response\",\"status\":\"completed\",\"output\":[{\"type\":\"message\","
        + "\"id\":\"msg_a\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
        + "\"text\":\"Hello\",\"annotations\":[]}]}]}");
    assertEquals(Arrays.asList("stop"), call.response().finishReasons());
    LlmCall tool = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"Weather?\"}");
    answer(tool, "{\"id\":\"resp_b\",\"status\":\"completed\",\"output\":[{\"type\":\"function_call\",\"id\":\"fc_1\","
        + "\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\",\"status\":\"completed\"}]}");
    assertEquals(Arrays.asList("tool_calls"), tool.response().finishReasons());
    LlmCall cut = responses("{\"model\":\"gpt-4o-mini\",\"input\":\"Long story\"}");
    answer(cut, "{\"id\":\"resp_c\",\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"output\":[]}");
    assertEquals(Arrays.asList("length"), cut.response().finishReasons());
    assertEquals("max_output_tokens", cut.response().incompleteReason(), "kept for the escalation's reason");
    assertEquals("content_filter", FinishReasons.openAiResponses("incomplete", "content_filter", false));
    assertEquals("error", FinishReasons.openAiResponses("failed", null, false));
    assertEquals("error", FinishReasons.openAiResponses("cancelled", null, false));
    assertNull(FinishReasons.openAiResponses("in_progress", null, false), "a background response still running has none");
  }

  private static LlmCall responses(String body) {
    LlmCall call = new LlmCall("openai", "chat");
    OpenAiResponsesWire.INSTANCE.request(call, JsonMaps.parseObject(body), null);
    return call;
  }

  private static void answer(LlmCall call, String body) {
    OpenAiResponsesWire.INSTANCE.response(call, JsonMaps.parseObject(body));
  }
}
