package dev.llmotel.instrumentation.openai;

import com.openai.core.http.StreamResponse;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import java.util.Spliterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A blocking SDK stream that ends its call's span when the app has read it to the end, when
 * reading fails, or when the app closes it early. Elements pass through unchanged.
 */
final class TracedStreamResponse<T> implements StreamResponse<T> {
  private final StreamResponse<T> delegate;
  private final LlmStream stream;
  private final Consumer<T> onElement;

  TracedStreamResponse(StreamResponse<T> delegate, LlmStream stream, Consumer<T> onElement) {
    this.delegate = delegate;
    this.stream = stream;
    this.onElement = onElement;
  }

  @Override
  public Stream<T> stream() {
    Stream<T> inner = delegate.stream();
    return StreamSupport.stream(new TracingSpliterator(inner.spliterator()), false).onClose(inner::close);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      stream.end(null, false);
    }
  }


  private final class TracingSpliterator implements Spliterator<T> {
    private final Spliterator<T> inner;

    TracingSpliterator(Spliterator<T> inner) {
      this.inner = inner;
    }

    @Override
    public boolean tryAdvance(Consumer<? super T> action) {
      boolean advanced;
      try {
        advanced = inner.tryAdvance(element -> {
          observe(element);
          action.accept(element);
        });
      } catch (RuntimeException | Error e) {
        stream.end(e, false);
        throw e;
      }
      if (!advanced) stream.end(null, true);
      return advanced;
    }

    private void observe(T element) {
      try {
        SafeHooks.checkpoint("chunk");
        onElement.accept(element);
      } catch (Throwable t) {
        SafeHooks.failed("openai stream element", t);
      }
    }

    @Override
    public Spliterator<T> trySplit() {
      return null; // sequential: chunks must be seen in order
    }

    @Override
    public long estimateSize() {
      return inner.estimateSize();
    }

    @Override
    public int characteristics() {
      return inner.characteristics() & ~(SIZED | SUBSIZED);
    }
  }
}
