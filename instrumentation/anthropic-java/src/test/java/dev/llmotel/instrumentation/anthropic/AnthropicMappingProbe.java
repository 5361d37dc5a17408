package dev.llmotel.instrumentation.anthropic;

import dev.llmotel.core.LlmCall;
import java.util.List;

/** Test access to the package's mappers, for the fuzz tests in their own package. */
public final class AnthropicMappingProbe {
  public static LlmCall mapMessage(Object message) {
    LlmCall call = new LlmCall("anthropic", "chat");
    MessageMapper.response(call, message);
    return call;
  }

  public static LlmCall accumulateStream(List<?> events) {
    LlmCall call = new LlmCall("anthropic", "chat").request().streaming(true).call();
    MessageStreamAccumulator acc = new MessageStreamAccumulator(call);
    for (Object e : events) acc.onEvent(e);
    acc.finish();
    return call;
  }

  private AnthropicMappingProbe() {}
}
