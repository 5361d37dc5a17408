package $[stainless.module.package];

import $[stainless.sdk.package].AsyncStreamResponse;
import dev.llmotel.core.LlmAsyncStreamEvents;
import dev.llmotel.core.LlmStream;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** The SDK's async stream, its signals passed through {@link LlmAsyncStreamEvents}. */
final class TracedAsyncStreamResponse<T> implements AsyncStreamResponse<T> {
  private final AsyncStreamResponse<T> delegate;
  private final LlmAsyncStreamEvents<T> events;

  TracedAsyncStreamResponse(AsyncStreamResponse<T> delegate, LlmStream stream, Consumer<T> onElement) {
    this.delegate = delegate;
    this.events = new LlmAsyncStreamEvents<>(stream, onElement, "$[stainless.sdk.name] async stream element", delegate.onCompleteFuture());
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
    delegate.subscribe(new TracingHandler(handler));
    return this;
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
    delegate.subscribe(new TracingHandler(handler), executor);
    return this;
  }

  @Override
  public CompletableFuture<Void> onCompleteFuture() {
    return delegate.onCompleteFuture();
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      events.closed();
    }
  }

  private final class TracingHandler implements Handler<T> {
    private final Handler<? super T> handler;

    TracingHandler(Handler<? super T> handler) {
      this.handler = handler;
    }

    @Override
    public void onNext(T value) {
      try (Scope ignored = events.onNext(value)) {
        handler.onNext(value);
      }
    }

    @Override
    public void onComplete(Optional<Throwable> error) {
      try (Scope ignored = events.onComplete(error.orElse(null))) {
        handler.onComplete(events.outcome(error));
      }
    }
  }
}
