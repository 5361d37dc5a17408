package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * The subscription of a {@code ChatModel.stream(Prompt)} Flux, on the subscribing thread. Spring AI
 * starts a streamed call's observation and sends the request while the Flux is being subscribed
 * (Spring AI 2.0's OpenAI module through the OpenAI SDK, 1.1's through WebClient). Our chat span is
 * made current for exactly that stretch, so the SDK sees that the call already has its LLM span
 * (no second one) and the HTTP client span nests under it. The scope is closed when subscribe
 * returns. It also counts the chunks the app receives, for time to first chunk.
 */
final class StreamSubscription {
  private static final ThreadLocal<StreamSubscription> SUBSCRIBING = new ThreadLocal<>();

  private boolean claimed;
  /** The streaming model's configured base URL, for the call's server address at start. */
  final String baseUrl;
  private volatile LlmCall call;
  private Context context;
  private Scope scope;
  /** The app's subscriber whose completion waits for the answer's review (enforce mode only). */
  private ChunkCounter<?> awaitingReview;

  /** Wraps the Flux a chat model's stream(Prompt) returned. */
  static <T> Flux<T> wrap(Flux<T> flux) {
    return wrap(flux, null);
  }

  static <T> Flux<T> wrap(Flux<T> flux, String baseUrl) {
    return flux == null || flux instanceof ChatSpanFlux ? flux : new ChatSpanFlux<>(flux, baseUrl);
  }

  private StreamSubscription(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The subscription on this thread not yet taken by a model call's observation, if any. */
  static StreamSubscription claim() {
    StreamSubscription s = SUBSCRIBING.get();
    if (s == null || s.claimed) return null;
    s.claimed = true;
    return s;
  }

  /** A follow-up call sent from inside the stream (Spring AI 1.1): the chunks from now on are its. */
  void handOver(LlmCall followUp) {
    this.call = followUp;
  }

  void attach(LlmCall call, Context context) {
    this.call = call;
    this.context = context;
    this.scope = context.makeCurrent();
  }

  /**
   * An outer scope opened before ours is closing while ours is still open (Spring AI 2.0 makes the
   * parent observation current only around start()): ours steps aside and comes back after, so
   * scopes still close in order and no context stays behind on the thread.
   */
  static Runnable stepAside() {
    StreamSubscription s = SUBSCRIBING.get();
    // Only when ours is on top: a scope opened after ours closes normally.
    if (s == null || s.scope == null || Context.current() != s.context) return null;
    s.scope.close();
    s.scope = null;
    return () -> s.scope = s.context.makeCurrent();
  }

  /**
   * At the stream's completion: whether the app's completion waits for the current call's review.
   * Only when the output_validation policy enforces a structure the call declared, and the call has
   * not ended yet: Spring AI stops a stream's observation (which ends the call) just after the
   * completion has passed through us. Otherwise the completion goes on at once.
   */
  synchronized boolean awaitReview(ChunkCounter<?> counter) {
    LlmCall current = call;
    if (current == null || current.ended() || !current.request().checksAnswer()
        || !dev.llmotel.core.governance.Governance.get().outputValidationEnforced()) {
      return false;
    }
    awaitingReview = counter;
    // Should the observation never stop, the app still gets its completion, a little late.
    dev.llmotel.core.DelayedTasks.schedule(() -> counter.end(null), COMPLETION_FALLBACK_MILLIS);
    return true;
  }

  /** Longest a held completion waits for the call's review. */
  static final long COMPLETION_FALLBACK_MILLIS = 5000;

  /** The call ended (its answer reviewed): a completion held for it goes on, or becomes the rejection. */
  void reviewed(LlmCall ended) {
    ChunkCounter<?> waiting;
    synchronized (this) {
      if (ended != call) return;
      waiting = awaitingReview;
      awaitingReview = null;
    }
    if (waiting != null) waiting.end(ended.outputReview().rejection());
  }

  /** What the app's completion becomes when it did not wait: the current call's rejection, if it has one. */
  Throwable rejectionOfCurrentCall() {
    LlmCall current = call;
    return current == null ? null : current.outputReview().rejection();
  }

  private void subscribed() {
    if (scope != null) {
      scope.close();
      scope = null;
    }
  }

  private static final class ChatSpanFlux<T> extends Flux<T> {
    private final Flux<T> source;
    private final String baseUrl;

    ChatSpanFlux(Flux<T> source, String baseUrl) {
      this.source = source;
      this.baseUrl = baseUrl;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      StreamSubscription previous = SUBSCRIBING.get();
      StreamSubscription subscription = new StreamSubscription(baseUrl);
      SUBSCRIBING.set(subscription);
      try {
        source.subscribe(new ChunkCounter<>(actual, subscription));
      } finally {
        if (previous == null) {
          SUBSCRIBING.remove();
        } else {
          SUBSCRIBING.set(previous);
        }
        subscription.subscribed();
      }
    }
  }

  /**
   * Passes every signal on unchanged; counts each element as a chunk of the call, and marks a
   * stream the app cancelled before its end (take(n), a client gone) as closed early.
   */
  private static final class ChunkCounter<T> implements CoreSubscriber<T>, Subscription {
    private final CoreSubscriber<? super T> actual;
    private final StreamSubscription subscription;
    private Subscription upstream;
    private volatile boolean terminated;
    private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();

    ChunkCounter(CoreSubscriber<? super T> actual, StreamSubscription subscription) {
      this.actual = actual;
      this.subscription = subscription;
    }

    @Override
    public reactor.util.context.Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      actual.onSubscribe(this);
    }

    @Override
    public void onNext(T t) {
      try {
        SafeHooks.checkpoint("chunk");
        LlmCall call = subscription.call;
        if (call != null) call.response().onChunk();
      } catch (Throwable e) {
        SafeHooks.failed("spring ai stream chunk", e);
      }
      actual.onNext(t);
    }

    @Override
    public void onError(Throwable t) {
      terminated = true;
      actual.onError(t);
    }

    @Override
    public void onComplete() {
      terminated = true;
      boolean held = false;
      try {
        held = subscription.awaitReview(this);
      } catch (Throwable e) {
        SafeHooks.failed("spring ai stream completion", e);
      }
      if (!held) end(subscription.rejectionOfCurrentCall());
    }

    /** The app's completion, once: or, for an answer the output_validation policy rejected, its error. */
    void end(Throwable rejection) {
      if (!ended.compareAndSet(false, true)) return;
      if (rejection != null) {
        actual.onError(rejection);
      } else {
        actual.onComplete();
      }
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      try {
        LlmCall call = subscription.call;
        if (call != null && !terminated) call.response().streamEnd(LlmOtelAttributes.STREAM_END_CLOSED_EARLY);
      } catch (Throwable e) {
        SafeHooks.failed("spring ai stream cancel", e);
      }
      upstream.cancel();
    }
  }
}
