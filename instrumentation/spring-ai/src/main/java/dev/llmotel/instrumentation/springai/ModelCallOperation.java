package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.PolicyDecision;
import io.opentelemetry.context.Context;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** One model call (chat or embeddings): an LLM span with governance, ended with the response Spring AI saw. */
final class ModelCallOperation extends ObservedOperation {
  private final LlmCall call;
  private final Supplier<Object> response;
  private final BiConsumer<LlmCall, Object> mapResponse;

  ModelCallOperation(LlmCall call, Supplier<Object> response, BiConsumer<LlmCall, Object> mapResponse) {
    this.call = call;
    this.response = response;
    this.mapResponse = mapResponse;
  }

  @Override
  boolean isModelCall() {
    return true;
  }

  /**
   * Spring AI 1.1 sends the follow-up of a streamed call that asked for tools from inside that
   * call's stream, naming it as the parent: the follow-up is streamed too.
   */
  @Override
  void inheritFrom(ObservedOperation namedParent) {
    if (namedParent instanceof ModelCallOperation && ((ModelCallOperation) namedParent).call.streaming()) {
      call.streaming(true);
    }
  }

  @Override
  protected Context begin(Context parent) {
    StreamSubscription subscription = StreamSubscription.claim();
    if (subscription != null) call.streaming(true);
    Context context = SpringAiTelemetry.CALLS.start(parent, call);
    if (context == null) return null;
    PolicyDecision refusal = call.refusal();
    if (refusal != null) {
      if (SpringAiErrors.sdkRefusesInstead(call.provider())) {
        call.deferRefusalToSdk(); // the SDK call that follows fails with the SDK's own exception
      } else {
        RuntimeException exception = SpringAiErrors.refusal(refusal);
        SpringAiTelemetry.CALLS.end(context, call, exception);
        throw new PolicyRefusal(exception);
      }
    }
    if (subscription != null) subscription.attach(call, context);
    return context;
  }

  @Override
  protected void finish(Context context, Throwable error) {
    SpringAiTelemetry.CALLS.end(context, call, response.get(), error, mapResponse);
  }
}
