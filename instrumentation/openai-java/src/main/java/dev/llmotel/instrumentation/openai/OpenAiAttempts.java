package dev.llmotel.instrumentation.openai;

import com.openai.core.http.HttpResponse;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sees every HTTP attempt of the SDK's retry loop. The retrying client hands the same
 * RequestOptions instance to each attempt, so a call is found by that instance: async retries run on
 * the SDK's timer thread, where no context is current.
 */
public final class OpenAiAttempts {
  private static final Map<IdentityKey, Context> callsByOptions = new ConcurrentHashMap<>();

  /** At the retrying client's entry: links the call of the current context to these options. */
  public static Object register(Object requestOptions) {
    try {
      Context context = Context.current();
      if (LlmInstrumenter.currentCall(context) == null || requestOptions == null) return null;
      IdentityKey key = new IdentityKey(requestOptions);
      callsByOptions.put(key, context);
      return key;
    } catch (Throwable t) {
      SafeHooks.failed("openai retry tracking", t);
      return null;
    }
  }

  public static void unregister(Object key) {
    if (key != null) callsByOptions.remove(key);
  }

  public static void unregisterWhenDone(Object key, CompletableFuture<?> future, Throwable thrown) {
    if (key == null) return;
    if (future == null || thrown != null) {
      unregister(key);
    } else {
      future.whenComplete((r, e) -> unregister(key));
    }
  }

  /** After one attempt of the underlying HTTP client. */
  public static void onAttempt(Object requestOptions, Object response, Throwable error) {
    try {
      SafeHooks.checkpoint("attempt");
      record(find(requestOptions), response, error);
    } catch (Throwable t) {
      SafeHooks.failed("openai attempt tracking", t);
    }
  }

  private static void record(LlmCall call, Object response, Throwable error) {
    if (call == null) return;
    Outcome o = Outcome.of(response, error);
    call.recordAttempt(o.status, o.retryAfter, o.error, o.requestId);
  }

  public static void onAsyncAttempt(Object requestOptions, CompletableFuture<?> future, Throwable thrown) {
    LlmCall call;
    try {
      SafeHooks.checkpoint("attempt");
      call = find(requestOptions);
      if (call == null) return;
      if (future == null || thrown != null) {
        record(call, null, thrown);
        return;
      }
    } catch (Throwable t) {
      SafeHooks.failed("openai attempt tracking", t);
      return;
    }
    int number = call.startAttempt();
    future.whenComplete((response, error) -> {
      // The call's span waits for every announced attempt: this one is always finished, even
      // when reading its outcome fails, so the span still ends.
      Outcome o = Outcome.of(response, error);
      call.finishAttempt(number, o.status, o.retryAfter, o.error, o.requestId);
    });
  }

  private static LlmCall find(Object requestOptions) {
    Context context = requestOptions == null ? null : callsByOptions.get(new IdentityKey(requestOptions));
    return LlmInstrumenter.currentCall(context != null ? context : Context.current());
  }

  /**
   * Before an attempt: the SDK runs async retries on its own timer thread, where no context is
   * current, so the call's context is made current again for the attempt. Its HTTP client span then
   * nests under the LLM span like the first attempt's.
   */
  public static Scope enterAttempt(Object requestOptions) {
    try {
      if (requestOptions == null || LlmInstrumenter.currentCall(Context.current()) != null) return null;
      Context context = callsByOptions.get(new IdentityKey(requestOptions));
      return context == null ? null : context.makeCurrent();
    } catch (Throwable t) {
      SafeHooks.failed("openai attempt context", t);
      return null;
    }
  }

  public static void exitAttempt(Scope scope) {
    if (scope != null) scope.close();
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** What one attempt's response or failure says, read defensively. */
  private static final class Outcome {
    Integer status;
    String retryAfter;
    String requestId;
    Throwable error;

    static Outcome of(Object response, Throwable error) {
      Outcome o = new Outcome();
      try {
        SafeHooks.checkpoint("attempt");
        if (response instanceof HttpResponse) {
          HttpResponse r = (HttpResponse) response;
          o.status = r.statusCode();
          o.retryAfter = first(r.headers().values("retry-after"));
          o.requestId = first(r.headers().values("x-request-id"));
        } else {
          o.error = error;
        }
      } catch (Throwable t) {
        SafeHooks.failed("openai attempt tracking", t);
      }
      return o;
    }
  }

  private static final class IdentityKey {
    private final Object referent;

    IdentityKey(Object referent) {
      this.referent = referent;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey && ((IdentityKey) o).referent == referent;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(referent);
    }
  }

  private OpenAiAttempts() {}
}
