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
    if (namedParent instanceof ModelCallOperation && ((ModelCallOperation) namedParent).call.request().streaming()) {
      LlmCall previous = ((ModelCallOperation) namedParent).call;
      call.request().streaming(true);
      // Sent by the same model from inside the first call's stream: the same server.
      if (call.request().serverAddress() == null && previous.request().serverAddress() != null) {
        call.request().server(serverUrl(previous));
      }
      // What the app receives from the first call's Flux from now on is this call's answer (the
      // first call's tool-call chunks never reach the app): its chunks are counted on this call.
      followedSubscription = ((ModelCallOperation) namedParent).subscription;
      ((ModelCallOperation) namedParent).nestsFollowUp = true;
    }
  }

  /** A follow-up call was sent from inside this call's stream (1.1): its response ends with it. */
  private volatile boolean nestsFollowUp;

  /** The app's subscription this call's chunks reach: its own, or the call's it follows (1.1). */
  private StreamSubscription subscription;
  private StreamSubscription followedSubscription;

  @Override
  protected Context begin(Context parent) {
    StreamSubscription subscription = StreamSubscription.claim();
    if (subscription != null) call.request().streaming(true);
    if (call.request().serverAddress() == null) {
      call.request().server(subscription != null && subscription.baseUrl != null ? subscription.baseUrl : ModelEndpoints.current());
    }
    Context context = SpringAiTelemetry.CALLS.start(parent, call);
    if (context == null) return null;
    PolicyDecision refusal = call.governance().refusal();
    if (refusal != null) {
      if (SpringAiErrors.sdkRefusesInstead(call.provider())) {
        call.governance().deferRefusalToSdk(); // the SDK call that follows fails with the SDK's own exception
      } else {
        RuntimeException exception = SpringAiErrors.refusal(refusal);
        SpringAiTelemetry.CALLS.end(context, call, exception);
        throw new PolicyRefusal(exception);
      }
    }
    // The rejection of an answer the output_validation policy cannot let through: a blocking call's end
    // throws it (see finish); a stream's completion becomes it (StreamSubscription holds the completion).
    String provider = call.provider();
    call.outputReview().failWith(decision -> SpringAiErrors.unusableAnswer(provider, decision));
    if (subscription != null) {
      subscription.attach(call, context);
      this.subscription = subscription;
    } else if (followedSubscription != null) {
      followedSubscription.handOver(call);
      this.subscription = followedSubscription;
    }
    return context;
  }

  private static String serverUrl(LlmCall call) {
    String host = call.request().serverAddress().indexOf(':') >= 0 ? "[" + call.request().serverAddress() + "]" : call.request().serverAddress();
    return "http://" + host + (call.request().serverPort() > 0 ? ":" + call.request().serverPort() : "");
  }

  @Override
  protected void finish(Context context, Throwable error) {
    BiConsumer<LlmCall, Object> map = nestsFollowUp && mapResponse != null ? ChatMapper::responseOfCallWithFollowUp
        : mapResponse;
    SpringAiTelemetry.CALLS.end(context, call, response.get(), error, map);
    if (subscription != null) {
      // A stream's observation stops after its completion reached us: the app's subscriber gets it now.
      subscription.reviewed(call);
      return;
    }
    Throwable rejection = call.outputReview().rejection();
    if (rejection instanceof RuntimeException) throw new PolicyRefusal((RuntimeException) rejection);
  }
}
