package dev.llmotel.instrumentation.openai.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.llmotel.testkit.fuzz.FuzzJson;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.instrumentation.openai.OpenAiMappingProbe;

/**
 * Chat completion bodies of any shape the SDK accepts: our mapping never throws, and for a body the
 * SDK itself finds valid it records no failure and exactly the SDK's usage.
 */
class ChatCompletionFuzzTest {
  static final String[] KEYS = {"id", "object", "created", "model", "choices", "index", "message", "role",
      "content", "refusal", "tool_calls", "function", "name", "arguments", "type", "finish_reason", "logprobs",
      "usage", "prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details", "cached_tokens",
      "completion_tokens_details", "reasoning_tokens"};

  @FuzzTest(maxDuration = "10s")
  void mapResponse(FuzzedDataProvider data) {
    FuzzJson json = new FuzzJson(data, KEYS);
    String body = json.damage(json.object(0));
    ChatCompletion completion;
    try {
      completion = ObjectMappers.jsonMapper().readValue(body, ChatCompletion.class);
    } catch (Exception sdkRejects) {
      return; // the SDK throws its own exception to the app; our hooks never see a response
    }
    long failuresBefore = SafeHooks.failureCount();
    LlmCall call = OpenAiMappingProbe.mapChatResponse(completion);
    boolean valid;
    try {
      completion.validate();
      valid = true;
    } catch (RuntimeException invalid) {
      valid = false;
    }
    if (valid) {
      if (SafeHooks.failureCount() != failuresBefore) {
        throw new AssertionError("mapping failed on a body the SDK accepts: " + body);
      }
      Long expected = completion.usage().map(u -> u.promptTokens()).orElse(null);
      if (expected != null && !expected.equals(call.response().inputTokens())) {
        throw new AssertionError("usage lost: " + body);
      }
    }
  }
}
