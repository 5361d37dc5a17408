package $[stainless.module.package];

import $[stainless.sdk.package].AsyncStreamResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a refused async stream returns: a stream that completes at once with the refusal, the way
 * the SDK reports an async stream whose request failed (through the handler and the future).
 */
final class FailedAsyncStreamResponse<T> implements AsyncStreamResponse<T> {
  private final RuntimeException error;
  private final CompletableFuture<Void> completion = new CompletableFuture<>();

  FailedAsyncStreamResponse(RuntimeException error) {
    this.error = error;
    completion.completeExceptionally(error);
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler) {
    handler.onComplete(Optional.<Throwable>of(error));
    return this;
  }

  @Override
  public AsyncStreamResponse<T> subscribe(Handler<? super T> handler, Executor executor) {
    executor.execute(() -> handler.onComplete(Optional.<Throwable>of(error)));
    return this;
  }

  @Override
  public CompletableFuture<Void> onCompleteFuture() {
    return completion;
  }

  @Override
  public void close() {}
}
