package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import software.amazon.awssdk.core.async.SdkPublisher;

/**
 * The part every Bedrock event-stream handler of ours shares: events pass through to the app's
 * handler unchanged and are counted and accumulated on the way; the span ends when the stream
 * completes, fails or the app cancels its subscription.
 */
final class EventStreamObserver<E> {
  private final LlmStream stream;
  private final Consumer<E> onEvent;
  private final BooleanSupplier reachedEnd;

  EventStreamObserver(LlmStream stream, Consumer<E> onEvent, BooleanSupplier reachedEnd) {
    this.stream = stream;
    this.onEvent = onEvent;
    this.reachedEnd = reachedEnd;
  }

  SdkPublisher<E> observe(SdkPublisher<E> publisher) {
    try {
      return publisher.map(event -> {
        try {
          SafeHooks.checkpoint("chunk");
          stream.call().response().onChunk();
          onEvent.accept(event);
        } catch (Throwable t) {
          SafeHooks.failed("bedrock stream event", t);
        }
        return event;
      }).doAfterOnCancel(() -> stream.end(null, false));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock stream wrap", t);
      return publisher;
    }
  }

  private void failed(Throwable error) {
    stream.end(error, false);
  }

  /**
   * A connection cut mid-stream also completes without an error: without the final event that
   * carries the usage, the stream did not reach its end. Returns the rejection of an answer the
   * output_validation policy refused (enforce), which the app's handler gets instead of its completion.
   */
  private Throwable completed() {
    stream.end(null, reachedEnd.getAsBoolean());
    return stream.call().outputReview().rejection();
  }

  /** A stream handler's exceptionOccurred: the app's handler first, then the span ends in error. */
  void exceptionOccurred(Throwable error, Consumer<Throwable> appHandler) {
    try {
      appHandler.accept(error);
    } finally {
      failed(error);
    }
  }

  /**
   * A stream handler's complete: the span ends first, so an answer the output_validation policy
   * rejected reaches the app as the handler's exception instead of its completion.
   */
  void complete(Consumer<Throwable> appFailure, Runnable appComplete) {
    Throwable rejection = null;
    try {
      rejection = completed();
    } catch (Throwable t) {
      SafeHooks.failed("bedrock stream end", t);
    }
    if (rejection != null) {
      appFailure.accept(rejection);
    } else {
      appComplete.run();
    }
  }
}
