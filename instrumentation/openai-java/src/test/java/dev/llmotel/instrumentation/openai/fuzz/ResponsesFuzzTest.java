package dev.llmotel.instrumentation.openai.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.llmotel.testkit.fuzz.FuzzJson;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmotel.instrumentation.openai.OpenAiMappingProbe;

/** Responses API bodies and stream events of any shape the SDK accepts: our mapping never throws. */
class ResponsesFuzzTest {
  static final String[] KEYS = {"id", "object", "created_at", "model", "status", "output", "type", "role",
      "content", "text", "call_id", "name", "arguments", "usage", "input_tokens", "output_tokens", "total_tokens",
      "input_tokens_details", "cached_tokens", "output_tokens_details", "reasoning_tokens", "response",
      "sequence_number", "delta", "item_id", "output_index", "error", "incomplete_details"};

  @FuzzTest(maxDuration = "10s")
  void mapResponseAndEvents(FuzzedDataProvider data) {
    FuzzJson json = new FuzzJson(data, KEYS);
    boolean event = data.consumeBoolean();
    String body = json.damage(json.object(0));
    try {
      if (event) {
        OpenAiMappingProbe.mapResponseEvent(ObjectMappers.jsonMapper().readValue(body, ResponseStreamEvent.class));
      } else {
        OpenAiMappingProbe.mapResponse(ObjectMappers.jsonMapper().readValue(body, Response.class));
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException sdkRejects) {
      // the SDK's own parse error, thrown to the app before our hooks see anything
    }
  }
}
