package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmCall;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * What an InvokeModelWithResponseStream delivers: chunks of the model family's own stream events.
 * Every family's last chunk carries Bedrock's "amazon-bedrock-invocationMetrics" (the token counts);
 * the stop reason is read where the families put it.
 */
final class InvokeStreamAccumulator {
  private final LlmCall call;
  private String stopReason;
  private boolean sawMetrics;

  InvokeStreamAccumulator(LlmCall call) {
    this.call = call;
  }

  synchronized void onEvent(ResponseStream event) {
    if (!(event instanceof PayloadPart) || ((PayloadPart) event).bytes() == null) return;
    Map<?, ?> chunk = InvokeModelMapper.object(((PayloadPart) event).bytes());
    if (chunk == null) return;
    Object delta = chunk.get("delta");
    String stop = delta instanceof Map ? InvokeModelMapper.string(((Map<?, ?>) delta).get("stop_reason")) : null;
    if (stop == null) stop = InvokeModelMapper.string(chunk.get("stop_reason"));
    if (stop == null) stop = InvokeModelMapper.string(chunk.get("completionReason"));
    if (stop != null) stopReason = stop;
    Object metrics = chunk.get("amazon-bedrock-invocationMetrics");
    if (metrics instanceof Map) {
      Object in = ((Map<?, ?>) metrics).get("inputTokenCount");
      Object out = ((Map<?, ?>) metrics).get("outputTokenCount");
      if (in instanceof Number) {
        call.usage(((Number) in).longValue(), out instanceof Number ? ((Number) out).longValue() : null);
      }
      sawMetrics = true;
    }
  }

  synchronized boolean finished() {
    return sawMetrics;
  }

  synchronized void finish() {
    call.addFinishReason(stopReason);
  }
}
