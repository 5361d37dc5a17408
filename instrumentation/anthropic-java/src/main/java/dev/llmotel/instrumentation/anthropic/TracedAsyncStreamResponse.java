package dev.llmotel.instrumentation.anthropic;

import com.anthropic.core.http.AsyncStreamResponse;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.context.Scope;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * An async SDK stream that ends its call's span when the stream completes or fails (seen through
 * the SDK's own completion future, so it works whether or not the app subscribes) or when the app
 * closes it early. The app's handler runs with the call's context current, so its own spans nest.
 */
final class TracedAsyncStreamResponse<T> implements AsyncStreamResponse<T> {
  private final AsyncStreamResponse<T> delegate;
  private final LlmStream stream;
  private final Consumer<T> onElement;

  TracedAsyncStreamResponse(AsyncStreamResponse<T> delegate, LlmStream stream, Consumer<T> onElement) {
    this.delegate = delegate;
    this.stream = stream;
    this.onElement = onElement;
    delegate.onCompleteFuture().whenComplete((ignored, error) -> stream.end(error, error == null));
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
      stream.end(null, false);
    }
  }


  private final class TracingHandler implements Handler<T> {
    private final Handler<? super T> handler;

    TracingHandler(Handler<? super T> handler) {
      this.handler = handler;
    }

    @Override
    public void onNext(T value) {
      try {
        SafeHooks.checkpoint("chunk");
        onElement.accept(value);
      } catch (Throwable t) {
        SafeHooks.failed("anthropic async stream event", t);
      }
      try (Scope ignored = stream.context().makeCurrent()) {
        handler.onNext(value);
      }
    }

    @Override
    public void onComplete(Optional<Throwable> error) {
      stream.end(error.orElse(null), !error.isPresent());
      try (Scope ignored = stream.context().makeCurrent()) {
        handler.onComplete(error);
      }
    }
  }
}
