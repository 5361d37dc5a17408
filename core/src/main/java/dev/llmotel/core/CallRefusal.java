package dev.llmotel.core;

/**
 * What an enter advice returns when a policy refused the call: the library method is skipped (no
 * network traffic) and the exit advice makes it fail with this exception, the library's own for
 * that condition.
 */
public final class CallRefusal extends SkippedCall {
  private final Throwable exception;

  public CallRefusal(RuntimeException exception) {
    this.exception = exception;
  }

  /** For libraries whose own exception for the condition is checked (a plain HTTP client's IOException). */
  public CallRefusal(java.io.IOException exception) {
    this.exception = exception;
  }

  /** The refusal as the SDKs' unchecked exception (null when it is a checked one). */
  public RuntimeException exception() {
    return exception instanceof RuntimeException ? (RuntimeException) exception : null;
  }

  /**
   * For an SDK's start that found a framework's span owning the call: the refusal that framework
   * left to the SDK ({@link LlmCall#deferRefusalToSdk}), with the SDK's own exception, or null.
   */
  public static CallRefusal deferredToSdk(java.util.function.Function<PolicyDecision, RuntimeException> sdkException) {
    LlmCall outer = LlmInstrumenter.currentCall(io.opentelemetry.context.Context.current());
    PolicyDecision refusal = outer == null ? null : outer.governance().takeDeferredRefusal();
    return refusal == null ? null : new CallRefusal(sdkException.apply(refusal));
  }

  /**
   * The future the app gets of an async call whose answer the future carries (a response, or a
   * stream's completion): when the output_validation policy enforces a structure the call declared,
   * one that fails with the rejection of an unusable answer; else the library's own future, untouched.
   */
  public static Object rejectedFutureOr(LlmCall call, Object future) {
    if (future instanceof java.util.concurrent.CompletableFuture && call.request().checksAnswer()
        && dev.llmotel.core.governance.Governance.get().outputValidationEnforced()) {
      return call.outputReview().rejectingFuture((java.util.concurrent.CompletableFuture<?>) future);
    }
    return future;
  }

  /**
   * What a blocking method's exit throws: the refusal's exception; or, for a call that returned an
   * answer the output_validation policy rejected, the library's exception for an unusable response;
   * else what the library threw.
   */
  public static Throwable thrown(Object state, Throwable error) {
    if (state instanceof CallRefusal) return ((CallRefusal) state).exception;
    if (error == null && state instanceof LlmScope) {
      Throwable rejection = ((LlmScope) state).call.outputReview().rejection();
      if (rejection != null) return rejection;
    }
    return error;
  }

  /**
   * What an async method returns when refused: a future failed the way the library fails them. For
   * a call that goes through, {@link #rejectedFutureOr}: a stream's future is not such a future (its
   * answer arrives after the app has the stream), so it is left alone here.
   */
  public static Object failedFutureOr(Object state, Object result) {
    if (state instanceof LlmScope && !((LlmScope) state).call.request().streaming()) {
      return rejectedFutureOr(((LlmScope) state).call, result);
    }
    if (!(state instanceof CallRefusal)) return result;
    java.util.concurrent.CompletableFuture<Object> failed = new java.util.concurrent.CompletableFuture<>();
    failed.completeExceptionally(((CallRefusal) state).exception);
    return failed;
  }
}
