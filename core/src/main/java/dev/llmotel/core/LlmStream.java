package dev.llmotel.core;

import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The span of a streamed call, which outlives the method that started it: it ends exactly once,
 * when the stream completes, fails or is closed before its end, whichever comes first.
 */
public final class LlmStream {
  private final LlmInstrumenter instrumenter;
  private final Context context;
  private final LlmCall call;
  private final Runnable beforeEnd;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean completed;

  /**
   * @param beforeEnd moves what the library's stream accumulated onto the call; runs once, just
   *     before the span ends, whichever way the stream ends
   */
  public LlmStream(LlmInstrumenter instrumenter, Context context, LlmCall call, Runnable beforeEnd) {
    this.instrumenter = instrumenter;
    this.context = context;
    this.call = call;
    this.beforeEnd = beforeEnd;
  }

  /**
   * Ends the span the way the stream ended: with an error, read to its end, or closed by the app
   * before its end. Only the first call counts.
   */
  public void end(Throwable error, boolean readToEnd) {
    if (ended.get()) return;
    try {
      SafeHooks.checkpoint("stream-end");
      beforeEnd.run();
    } catch (Throwable t) {
      SafeHooks.failed("stream finish", t);
    }
    if (error != null) {
      fail(error);
    } else if (readToEnd) {
      markCompleted();
      complete();
    } else {
      close();
    }
  }

  public Context context() { return context; }

  public LlmCall call() { return call; }

  /** Marks that the provider signalled the end of the stream (e.g. [DONE] or a final event). */
  public void markCompleted() {
    completed = true;
  }

  public void complete() {
    if (ended.compareAndSet(false, true)) {
      instrumenter.end(context, call, null);
    }
  }

  public void fail(Throwable error) {
    if (ended.compareAndSet(false, true)) {
      call.response().streamEnd(LlmOtelAttributes.STREAM_END_ERROR);
      instrumenter.end(context, call, error);
    }
  }

  /** The app closed the stream: a normal end if it was read to the end, else closed early. */
  public void close() {
    if (ended.get()) return;
    if (!completed) call.response().streamEnd(LlmOtelAttributes.STREAM_END_CLOSED_EARLY);
    complete();
  }

  public boolean ended() {
    return ended.get();
  }
}
