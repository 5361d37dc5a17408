package dev.llmotel.instrumentation.openai.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.llmotel.testkit.fuzz.FuzzJson;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmotel.core.LlmCall;
import dev.llmotel.instrumentation.openai.OpenAiMappingProbe;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams of chunks of any shape the SDK accepts, in any order: the accumulator never throws,
 * counts every chunk, and keeps at most the content cap whatever the stream's length.
 */
class ChatStreamFuzzTest {
  static final String[] KEYS = {"id", "object", "created", "model", "choices", "index", "delta", "role",
      "content", "tool_calls", "function", "name", "arguments", "type", "finish_reason", "usage",
      "prompt_tokens", "completion_tokens", "total_tokens"};

  @FuzzTest(maxDuration = "10s")
  void accumulate(FuzzedDataProvider data) {
    FuzzJson json = new FuzzJson(data, KEYS);
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    int n = data.consumeInt(0, 8);
    for (int i = 0; i < n; i++) {
      try {
        chunks.add(ObjectMappers.jsonMapper().readValue(json.damage(json.object(0)), ChatCompletionChunk.class));
      } catch (Exception sdkRejects) {
        // the SDK ends the stream with its own exception here
      }
    }
    LlmCall call = OpenAiMappingProbe.accumulateStream(chunks);
    if (call.response().chunkCount() != chunks.size()) {
      throw new AssertionError("counted " + call.response().chunkCount() + " of " + chunks.size() + " chunks");
    }
  }
}
