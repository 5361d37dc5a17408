package dev.llmotel.core;

import java.util.Spliterator;
import java.util.function.Consumer;

/**
 * The elements of a blocking SDK stream as the app reads them: each one is observed (a failure of
 * ours is logged, never thrown), and the call's span ends when the stream is read to the end or
 * reading fails. Sequential: chunks must be seen in order.
 */
public final class LlmStreamSpliterator<T> implements Spliterator<T> {
  private final Spliterator<T> inner;
  private final LlmStream stream;
  private final Consumer<T> onElement;
  private final String what;

  public LlmStreamSpliterator(Spliterator<T> inner, LlmStream stream, Consumer<T> onElement, String what) {
    this.inner = inner;
    this.stream = stream;
    this.onElement = onElement;
    this.what = what;
  }

  /** The app's action wrapped with the observer, made once per action (a stream hands the same one each time). */
  private Consumer<? super T> lastAction;
  private Consumer<T> observed;

  private Consumer<T> observing(Consumer<? super T> action) {
    if (action != lastAction) {
      lastAction = action;
      observed = element -> {
        observe(element);
        action.accept(element);
      };
    }
    return observed;
  }

  @Override
  public boolean tryAdvance(Consumer<? super T> action) {
    boolean advanced;
    try {
      advanced = inner.tryAdvance(observing(action));
    } catch (RuntimeException | Error e) {
      stream.end(e, false);
      throw e;
    }
    if (!advanced) ended();
    return advanced;
  }

  private void ended() {
    stream.end(null, true);
    // The output_validation policy rejected the answer: the app's read of the end fails instead.
    Throwable rejection = stream.call().outputReview().rejection();
    if (rejection instanceof RuntimeException) throw (RuntimeException) rejection;
  }

  private void observe(T element) {
    observe(onElement, element, what);
  }

  /** Hands a stream's element to the library's observer; a failure of ours is logged, never thrown. */
  static <T> void observe(Consumer<T> onElement, T element, String what) {
    try {
      SafeHooks.checkpoint("chunk");
      onElement.accept(element);
    } catch (Throwable t) {
      SafeHooks.failed(what, t);
    }
  }

  @Override
  public Spliterator<T> trySplit() {
    return null;
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
