package dev.llmotel.instrumentation.openai.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.instrumentation.openai.OpenAiMappingProbe;
import dev.llmotel.testkit.fuzz.FuzzJson;

/**
 * Responses API bodies and stream events of any shape the SDK accepts. The mappers catch their own
 * failures, so "never throws" proves nothing; what is checked is what they produced: a stream event
 * is one chunk, and for a response the SDK itself finds valid (a final event's included) no failure
 * is recorded and the call has exactly the response's id and usage.
 */
class ResponsesFuzzTest {
  static final String[] KEYS = {"id", "object", "created_at", "model", "status", "output", "type", "role",
      "content", "text", "call_id", "name", "arguments", "usage", "input_tokens", "output_tokens", "total_tokens",
      "input_tokens_details", "cached_tokens", "output_tokens_details", "reasoning_tokens", "response",
      "sequence_number", "delta", "item_id", "output_index", "error", "incomplete_details"};

  @FuzzTest(maxDuration = "10s")
  void mapResponseAndEvents(FuzzedDataProvider data) {
    FuzzJson json = new FuzzJson(data, KEYS);
    boolean isEvent = data.consumeBoolean();
    // Half the bodies start from a response the SDK finds valid, with fuzzed values, so the checks
    // below run; the rest are any shape at all.
    String body = data.consumeBoolean() ? json.damage(validBody(data, isEvent)) : json.damage(json.object(0));
    long failuresBefore = SafeHooks.failureCount();
    LlmCall call;
    Response response;
    try {
      if (isEvent) {
        ResponseStreamEvent event = ObjectMappers.jsonMapper().readValue(body, ResponseStreamEvent.class);
        call = OpenAiMappingProbe.mapResponseEvent(event);
        if (call.response().chunkCount() != 1) throw new AssertionError("an event is one chunk: " + body);
        response = finalResponse(event);
      } else {
        response = ObjectMappers.jsonMapper().readValue(body, Response.class);
        call = OpenAiMappingProbe.mapResponse(response);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException sdkRejects) {
      return; // the SDK's own parse error, thrown to the app before our hooks see anything
    }
    if (response == null || !valid(response)) return;
    if (SafeHooks.failureCount() != failuresBefore) {
      throw new AssertionError("mapping failed on a response the SDK accepts: " + body);
    }
    if (!response.id().equals(call.response().responseId())) throw new AssertionError("id lost: " + body);
    Long input = response.usage().map(u -> u.inputTokens()).orElse(null);
    Long output = response.usage().map(u -> u.outputTokens()).orElse(null);
    if (input != null && (!input.equals(call.response().inputTokens()) || !output.equals(call.response().outputTokens()))) {
      throw new AssertionError("usage " + call.response().inputTokens() + "/" + call.response().outputTokens() + " of " + body);
    }
  }

  /** A Responses API body (or its final stream event) with every field the SDK requires. */
  private static String validBody(FuzzedDataProvider data, boolean asEvent) {
    String text = FuzzJson.quote(data.consumeString(40));
    String response = "{\"id\":" + FuzzJson.quote("resp_" + data.consumeString(12)) + ",\"object\":\"response\","
        + "\"created_at\":" + data.consumeInt(0, Integer.MAX_VALUE) + ",\"status\":\"completed\",\"error\":null,"
        + "\"incomplete_details\":null,\"instructions\":null,\"metadata\":{},"
        + "\"model\":" + FuzzJson.quote(data.consumeString(20)) + ",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\","
        + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":" + text
        + ",\"annotations\":[]}]}],\"parallel_tool_calls\":true,\"temperature\":1.0,\"tool_choice\":\"auto\","
        + "\"tools\":[],\"top_p\":1.0,\"usage\":{\"input_tokens\":" + data.consumeLong(0, 1L << 40)
        + ",\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":" + data.consumeLong(0, 1L << 40)
        + ",\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":0}}";
    return asEvent ? "{\"type\":\"response.completed\",\"sequence_number\":1,\"response\":" + response + "}" : response;
  }

  /** The response a final event carries, or null (another event, or one without a readable response). */
  private static Response finalResponse(ResponseStreamEvent event) {
    try {
      if (event.completed().isPresent()) return event.completed().get().response();
      if (event.incomplete().isPresent()) return event.incomplete().get().response();
      if (event.failed().isPresent()) return event.failed().get().response();
    } catch (RuntimeException missingField) {
      // the SDK's own error for a field it requires: the app's code hits it too
    }
    return null;
  }

  private static boolean valid(Response response) {
    try {
      response.validate();
      return true;
    } catch (RuntimeException invalid) {
      return false;
    }
  }
}
