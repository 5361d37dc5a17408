package dev.llmotel.core;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sees every HTTP attempt of a Stainless-generated SDK's retry loop (the OpenAI and Anthropic Java
 * SDKs share that design, in their own packages): the retrying client hands the same RequestOptions
 * instance to each attempt, so a call is found by that instance, also for async retries on the
 * SDK's timer thread, where no context is current. The shared advice in {@code core.agent} finds
 * the SDK's instance by the instrumented class's name.
 */
public final class SdkAttempts {
  private static final SdkAttempts OPENAI = new SdkAttempts("openai", "x-request-id",
      "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens");
  private static final SdkAttempts ANTHROPIC = new SdkAttempts("anthropic", "request-id",
      "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-tokens-remaining");

  /** The attempts of the SDK a class of it belongs to (its retrying client, its HTTP transport). */
  public static SdkAttempts forType(String className) {
    return className.startsWith("com.anthropic.") ? ANTHROPIC : OPENAI;
  }

  private final Map<IdentityKey, Context> callsByOptions = new ConcurrentHashMap<>();
  private final String sdk;
  private final String requestIdHeader;
  private final String requestsRemainingHeader;
  private final String tokensRemainingHeader;

  private SdkAttempts(String sdk, String requestIdHeader, String requestsRemainingHeader, String tokensRemainingHeader) {
    this.sdk = sdk;
    this.requestIdHeader = requestIdHeader;
    this.requestsRemainingHeader = requestsRemainingHeader;
    this.tokensRemainingHeader = tokensRemainingHeader;
  }

  /** At the retrying client's entry: links the call of the current context to these options. */
  public Object register(Object requestOptions) {
    try {
      Context context = Context.current();
      if (LlmInstrumenter.currentCall(context) == null || requestOptions == null) return null;
      IdentityKey key = new IdentityKey(requestOptions);
      callsByOptions.put(key, context);
      return key;
    } catch (Throwable t) {
      SafeHooks.failed(sdk + " retry tracking", t);
      return null;
    }
  }

  public void unregister(Object key) {
    if (key != null) callsByOptions.remove(key);
  }

  public void unregisterWhenDone(Object key, CompletableFuture<?> future, Throwable thrown) {
    if (key == null) return;
    if (future == null || thrown != null) {
      unregister(key);
    } else {
      future.whenComplete((r, e) -> unregister(key));
    }
  }

  /** After one attempt of the underlying HTTP client. */
  public void onAttempt(Object requestOptions, Object response, Throwable error) {
    try {
      SafeHooks.checkpoint("attempt");
      // A blocking attempt runs on the thread of its call, in the call's context.
      LlmCall call = LlmInstrumenter.currentCall(Context.current());
      if (call == null) call = find(requestOptions);
      if (call == null) return;
      Outcome o = outcome(response, error);
      o.rateLimitsTo(call);
      call.attemptLog().recordAttempt(o.status, o.retryAfter, o.error, o.requestId);
    } catch (Throwable t) {
      SafeHooks.failed(sdk + " attempt tracking", t);
    }
  }

  public void onAsyncAttempt(Object requestOptions, CompletableFuture<?> future, Throwable thrown) {
    LlmCall call;
    try {
      SafeHooks.checkpoint("attempt");
      call = find(requestOptions);
      if (call == null) return;
      if (future == null || thrown != null) {
        Outcome o = outcome(null, thrown);
        call.attemptLog().recordAttempt(o.status, o.retryAfter, o.error, o.requestId);
        return;
      }
    } catch (Throwable t) {
      SafeHooks.failed(sdk + " attempt tracking", t);
      return;
    }
    int number = call.attemptLog().startAttempt();
    future.whenComplete((response, error) -> {
      // The call's span waits for every announced attempt: this one is always finished, even
      // when reading its outcome fails, so the span still ends.
      Outcome o = outcome(response, error);
      o.rateLimitsTo(call);
      call.attemptLog().finishAttempt(number, o.status, o.retryAfter, o.error, o.requestId);
    });
  }

  private LlmCall find(Object requestOptions) {
    Context context = requestOptions == null ? null : callsByOptions.get(new IdentityKey(requestOptions));
    return LlmInstrumenter.currentCall(context != null ? context : Context.current());
  }

  /**
   * Before an attempt: the SDK runs async retries on its own timer thread, where no context is
   * current, so the call's context is made current again for the attempt. Its HTTP client span then
   * nests under the LLM span like the first attempt's.
   */
  public Scope enterAttempt(Object requestOptions) {
    try {
      // This hook reads the attempt's headers afterwards (outcome): the HTTP client's layer below need not.
      LlmCall current = LlmInstrumenter.currentCall(Context.current());
      if (current != null) {
        current.attemptLog().markHeadersReadBySdk();
        return null;
      }
      if (requestOptions == null) return null;
      Context context = callsByOptions.get(new IdentityKey(requestOptions));
      if (context == null) return null;
      LlmCall call = LlmInstrumenter.currentCall(context);
      if (call != null) call.attemptLog().markHeadersReadBySdk();
      return context.makeCurrent();
    } catch (Throwable t) {
      SafeHooks.failed(sdk + " attempt context", t);
      return null;
    }
  }

  public static void exitAttempt(Scope scope) {
    if (scope != null) scope.close();
  }

  private Outcome outcome(Object response, Throwable error) {
    Outcome o = new Outcome();
    try {
      SafeHooks.checkpoint("attempt");
      Integer status = response == null ? null : StainlessResponses.status(response);
      if (status != null) {
        o.status = status;
        Object headers = StainlessResponses.headers(response);
        // Retry-After matters only where a retry may follow: a response the SDK takes as a failure.
        if (status >= 400) o.retryAfter = StainlessResponses.value(headers, "retry-after");
        o.requestId = StainlessResponses.value(headers, requestIdHeader);
        o.requestsRemaining = StainlessResponses.value(headers, requestsRemainingHeader);
        o.tokensRemaining = StainlessResponses.value(headers, tokensRemainingHeader);
      } else {
        o.error = error;
      }
    } catch (Throwable t) {
      SafeHooks.failed(sdk + " attempt tracking", t);
    }
    return o;
  }

  /** What one attempt's response or failure says. */
  private static final class Outcome {
    Integer status;
    String retryAfter;
    String requestId;
    String requestsRemaining;
    String tokensRemaining;
    Throwable error;

    void rateLimitsTo(LlmCall call) {
      if (requestsRemaining != null || tokensRemaining != null) {
        call.response().rateLimitRemaining(requestsRemaining, tokensRemaining);
      }
    }
  }

  /** A map key comparing by identity: the SDK's options objects are equal by value. */
  private static final class IdentityKey {
    private final Object value;

    IdentityKey(Object value) {
      this.value = value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof IdentityKey && ((IdentityKey) o).value == value;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(value);
    }
  }
}
