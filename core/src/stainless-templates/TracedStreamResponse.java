package $[stainless.module.package];

import $[stainless.sdk.package].StreamResponse;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.LlmStreamSpliterator;
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
    return StreamSupport.stream(new LlmStreamSpliterator<>(inner.spliterator(), stream, onElement,
        "$[stainless.sdk.name] stream element"), false).onClose(inner::close);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      stream.end(null, false);
    }
  }
}
