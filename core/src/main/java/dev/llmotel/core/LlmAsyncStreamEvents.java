package dev.llmotel.core;

import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What an async SDK stream's wrapper does with the stream's signals, whatever the SDK's handler
 * type: each element is observed (a failure of ours is logged, never thrown) and the app's handler
 * then runs with the call's context current, so its own spans nest; the span ends when the stream
 * completes or fails (seen through the SDK's completion future, so it ends whether or not the app
 * subscribes) or when the app closes it early.
 */
public final class LlmAsyncStreamEvents<T> {
  private final LlmStream stream;
  private final Consumer<T> onElement;
  private final String what;

  public LlmAsyncStreamEvents(LlmStream stream, Consumer<T> onElement, String what,
      CompletableFuture<?> completion) {
    this.stream = stream;
    this.onElement = onElement;
    this.what = what;
    completion.whenComplete((ignored, error) -> stream.end(error, error == null));
  }

  /** Before the app's handler sees an element: returns the scope to close after it. */
  public Scope onNext(T value) {
    LlmStreamSpliterator.observe(onElement, value, what);
    return stream.context().makeCurrent();
  }

  /** Before the app's handler hears the end: returns the scope to close after it. */
  public Scope onComplete(Throwable error) {
    stream.end(error, error == null);
    return stream.context().makeCurrent();
  }

  /** The app closed the stream: the span ends now, as closed early unless it had completed. */
  /**
   * What the app's handler is told at the end, after {@link #onComplete}: the stream's own error, or
   * the rejection of an answer the output_validation policy refused (enforce), or nothing.
   */
  public java.util.Optional<Throwable> outcome(java.util.Optional<Throwable> error) {
    if (error.isPresent()) return error;
    Throwable rejection = stream.call().outputReview().rejection();
    return rejection == null ? error : java.util.Optional.of(rejection);
  }

  public void closed() {
    stream.end(null, false);
  }
}
