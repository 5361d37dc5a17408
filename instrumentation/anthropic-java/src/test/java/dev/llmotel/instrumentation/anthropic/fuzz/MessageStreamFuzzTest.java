package dev.llmotel.instrumentation.anthropic.fuzz;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmotel.core.LlmCall;
import dev.llmotel.instrumentation.anthropic.AnthropicMappingProbe;
import dev.llmotel.testkit.fuzz.FuzzJson;
import java.util.ArrayList;
import java.util.List;

/** Streams of events of any shape the SDK accepts, in any order: every event counted, nothing thrown. */
class MessageStreamFuzzTest {
  static final String[] KEYS = {"type", "message_start", "message_delta", "content_block_start",
      "content_block_delta", "message", "delta", "content_block", "index", "text", "text_delta",
      "input_json_delta", "partial_json", "tool_use", "id", "name", "model", "stop_reason", "usage",
      "input_tokens", "output_tokens", "cache_read_input_tokens"};

  @FuzzTest(maxDuration = "10s")
  void accumulate(FuzzedDataProvider data) {
    FuzzJson json = new FuzzJson(data, KEYS);
    List<RawMessageStreamEvent> events = new ArrayList<>();
    int n = data.consumeInt(0, 8);
    for (int i = 0; i < n; i++) {
      try {
        events.add(ObjectMappers.jsonMapper().readValue(json.damage(json.object(0)), RawMessageStreamEvent.class));
      } catch (Exception sdkRejects) {
        // the SDK ends the stream with its own exception here
      }
    }
    LlmCall call = AnthropicMappingProbe.accumulateStream(events);
    if (call.response().chunkCount() != events.size()) {
      throw new AssertionError("counted " + call.response().chunkCount() + " of " + events.size() + " events");
    }
  }
}
