package dev.llmotel.instrumentation.anthropic.fuzz;

import com.anthropic.core.ObjectMappers;
import com.anthropic.models.messages.Message;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.instrumentation.anthropic.AnthropicMappingProbe;
import dev.llmotel.testkit.fuzz.FuzzJson;

/**
 * Messages of any shape the SDK accepts: the mapper never throws and never logs a failure of ours
 * (a field of the wrong shape is the provider's fault, recorded on the call, not our bug).
 */
class MessageFuzzTest {
  static final String[] KEYS = {"id", "type", "role", "model", "content", "text", "tool_use", "name", "input",
      "stop_reason", "stop_sequence", "usage", "input_tokens", "output_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens"};

  @FuzzTest(maxDuration = "10s")
  void mapMessage(FuzzedDataProvider data) {
    FuzzJson json = new FuzzJson(data, KEYS);
    Message message;
    try {
      message = ObjectMappers.jsonMapper().readValue(json.damage(json.object(0)), Message.class);
    } catch (Exception sdkRejects) {
      return; // the SDK throws its own exception to the app here
    }
    long before = SafeHooks.failureCount();
    LlmCall call = AnthropicMappingProbe.mapMessage(message);
    if (SafeHooks.failureCount() != before) throw new AssertionError("a failure of ours on " + message);
    // The mapper catches its own failures, so what it produced is the proof: for a message the SDK
    // itself finds valid, the call has exactly its id, model and usage.
    try {
      message.validate();
    } catch (RuntimeException invalid) {
      return;
    }
    if (!message.id().equals(call.response().responseId())) throw new AssertionError("id lost: " + message);
    if (!message.model().asString().equals(call.response().responseModel())) throw new AssertionError("model lost: " + message);
    // Anthropic's input_tokens leave out the cache; the call's input counts every input token.
    com.anthropic.models.messages.Usage u = message.usage();
    long input = u.inputTokens() + u.cacheReadInputTokens().orElse(0L) + u.cacheCreationInputTokens().orElse(0L);
    if (!Long.valueOf(input).equals(call.response().inputTokens()) || !Long.valueOf(u.outputTokens()).equals(call.response().outputTokens())) {
      throw new AssertionError("usage " + call.response().inputTokens() + "/" + call.response().outputTokens() + " of " + message);
    }
  }
}
