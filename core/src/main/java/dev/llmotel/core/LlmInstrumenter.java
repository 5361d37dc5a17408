package dev.llmotel.core;

import dev.llmotel.core.governance.Governance;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The one way an {@link LlmCall} becomes a span and metrics. A library module creates one per
 * instrumentation scope and calls {@link #start} and {@link #end}; it never touches spans itself.
 */
public final class LlmInstrumenter {
  private static final String CALL_KEY_NAME = "llm-otel-call";
  private static final ContextKey<LlmCall> CALL = ContextKey.named(CALL_KEY_NAME);

  private final Instrumenter<LlmCall, LlmCall> instrumenter;
  private final CallCounters counters;
  private final AnswerReviewer answerReviewer;
  /** Null for the judge's own instrumenter: a judge's calls are never evaluated. */
  private final AnswerEvaluator answerEvaluator;

  private LlmInstrumenter(Instrumenter<LlmCall, LlmCall> instrumenter, Meter meter, AnswerReviewer answerReviewer,
      AnswerEvaluator answerEvaluator) {
    this.instrumenter = instrumenter;
    this.counters = new CallCounters(meter);
    this.answerReviewer = answerReviewer;
    this.answerEvaluator = answerEvaluator;
  }

  public static LlmInstrumenter create(String instrumentationName, String instrumentationVersion) {
    return create(GlobalOpenTelemetry.get(), instrumentationName, instrumentationVersion);
  }

  public static LlmInstrumenter create(OpenTelemetry openTelemetry, String instrumentationName,
      String instrumentationVersion) {
    return create(openTelemetry, instrumentationName, instrumentationVersion, true);
  }

  /** The instrumenter of the judge's own calls (online and offline evaluation): they are traced, never evaluated. */
  public static LlmInstrumenter createForJudge(OpenTelemetry openTelemetry) {
    return create(openTelemetry, JUDGE_SCOPE, LlmOtelVersion.VERSION, false);
  }

  /** The instrumentation scope of the judge's calls. */
  public static final String JUDGE_SCOPE = "dev.llmotel.evaluation";

  private static LlmInstrumenter create(OpenTelemetry openTelemetry, String instrumentationName,
      String instrumentationVersion, boolean evaluates) {
    Instrumenter<LlmCall, LlmCall> instrumenter = Instrumenter.<LlmCall, LlmCall>builder(
            openTelemetry, instrumentationName, LlmInstrumenter::spanName)
        .setInstrumentationVersion(instrumentationVersion)
        .addAttributesExtractor(new LlmAttributesExtractor(LlmOtelConfig.get()))
        .addOperationMetrics(LlmMetrics.get())
        .addSpanLinksExtractor((links, parentContext, call) -> {
          for (io.opentelemetry.api.trace.SpanContext link : call.links()) links.addLink(link);
        })
        .buildInstrumenter(SpanKindExtractor.alwaysClient());
    Meter meter = openTelemetry.getMeterProvider()
        .meterBuilder(instrumentationName).setInstrumentationVersion(instrumentationVersion).build();
    AnswerReviewer reviewer = new AnswerReviewer(meter, openTelemetry, instrumentationName, LlmOtelConfig.get());
    return new LlmInstrumenter(instrumenter, meter, reviewer, evaluates
        ? new AnswerEvaluator(meter, openTelemetry, instrumentationName, LlmOtelConfig.get(), reviewer) : null);
  }

  /** {gen_ai.operation.name} {gen_ai.request.model}, or the operation alone without a model. */
  static String spanName(LlmCall call) {
    String model = call.request().requestModel();
    return model == null || model.isEmpty() ? call.operation() : call.operation() + " " + model;
  }

  /**
   * Starts an SDK's call in the current context. Returns its {@link LlmScope}; or, when a policy
   * refuses the call, a {@link CallRefusal} with the SDK's own exception for that condition, the span
   * already ended, so the advice skips the SDK method; or, under a framework's span that owns the
   * call, the refusal that framework left to the SDK, else null (the SDK call only runs under it).
   */
  public Object startSdkCall(LlmCall call, Function<PolicyDecision, RuntimeException> sdkException) {
    return startSdkCall(call, sdkException, UnaryOperator.identity());
  }

  /** As {@link #startSdkCall(LlmCall, Function)}, the scope holding what {@code scopeContext} makes of the call's context. */
  public Object startSdkCall(LlmCall call, Function<PolicyDecision, RuntimeException> sdkException,
      UnaryOperator<Context> scopeContext) {
    Context context = start(Context.current(), call);
    if (context == null) return CallRefusal.deferredToSdk(sdkException);
    PolicyDecision refusal = call.governance().refusal();
    if (refusal != null) {
      RuntimeException exception = sdkException.apply(refusal);
      end(context, call, exception);
      return new CallRefusal(exception);
    }
    call.outputReview().failWith(sdkException);
    return new LlmScope(call, scopeContext.apply(context));
  }

  /**
   * Starts the span of a call, or returns null when no span should be made: tracing is
   * suppressed, or an outer LLM-level span already owns this logical call (a framework over an
   * SDK): then the inner layer only enriches the outer call through {@link #currentCall}.
   */
  public Context start(Context parentContext, LlmCall call) {
    SafeHooks.checkpoint("start");
    LlmCall outer = parentContext.get(CALL);
    if (outer != null) {
      if (!outer.ended()) return null;
      // A completion callback runs in the context of the call that just finished (async streams of
      // the OpenAI and Anthropic SDKs, a future's callback): a call made there is a call of its own,
      // made where the finished one was made, not a part of it.
      Context before = outer.parentContext();
      parentContext = before != null ? before : parentContext.with(CALL, null);
    }
    if (!instrumenter.shouldStart(parentContext, call)) {
      return null;
    }
    call.parentContext(parentContext);
    try {
      SafeHooks.checkpoint("governance");
      Governance.get().beforeCall(parentContext, call);
    } catch (Throwable t) {
      SafeHooks.failed("governance at call start", t);
    }
    LlmCall.BeforeSpanStart hook = call.beforeSpanStart();
    if (hook != null) {
      try {
        hook.run(parentContext, call);
      } catch (Throwable t) {
        SafeHooks.failed("before span start", t);
      }
    }
    if (answerEvaluator != null) {
      try {
        answerEvaluator.sample(call);
      } catch (Throwable t) {
        SafeHooks.failed("evaluation sampling", t);
      }
    }
    call.startNanos(System.nanoTime());
    Context context = instrumenter.start(parentContext, call);
    AgentRun run = AgentInstrumenter.currentRun(parentContext);
    if (run != null) run.callStarted();
    if (call.governance().newPromptVersion()) {
      Span.fromContext(context).addEvent(LlmOtelAttributes.EVENT_PROMPT_NEW_VERSION, Attributes.of(
          LlmOtelAttributes.PROMPT_FINGERPRINT, call.governance().promptFingerprint(),
          LlmOtelAttributes.PROMPT_VERSION, call.governance().promptVersion()));
    }
    return context.with(CALL, call);
  }

  /**
   * The timeouts a library should apply as its own for this call, in milliseconds: {request, wait
   * for data of a stream (first chunk included)}; 0 where no policy sets one.
   */
  public static long[] enforcedTimeoutsMillis(LlmCall call) {
    try {
      Governance g = Governance.get();
      return new long[] {g.timeoutMillis(), call.request().streaming() ? g.firstChunkTimeoutMillis() : 0};
    } catch (Throwable t) {
      SafeHooks.failed("timeout policy", t);
      return new long[2];
    }
  }

  /**
   * The usual end of a call whose enter advice opened a scope: closes the scope, maps the library's
   * response onto the call, ends the span. Never throws.
   */
  public void end(LlmScope scope, Object response, Throwable error, BiConsumer<LlmCall, Object> mapResponse) {
    try {
      scope.closeScope();
    } catch (Throwable t) {
      SafeHooks.failed("scope close", t);
    }
    end(scope.context, scope.call, response, error, mapResponse);
  }

  /**
   * The end of an async call (an SDK method that returns a CompletableFuture): the span ends when
   * that future completes, and only once every attempt the library announced has been recorded (a
   * future's callbacks run in no set order). The app keeps its own future, untouched. Without a
   * future, or when the method threw, the call ends now. {@code state} is what the enter advice
   * returned: anything but an {@link LlmScope} (no span, a refusal) is left alone. Never throws.
   */
  public void endWhenComplete(Object state, Object future, Throwable error, BiConsumer<LlmCall, Object> mapResponse) {
    if (!(state instanceof LlmScope)) return;
    LlmScope scope = (LlmScope) state;
    if (!(future instanceof CompletableFuture) || error != null) {
      end(scope, null, error, mapResponse);
      return;
    }
    try {
      scope.closeScope();
      ((CompletableFuture<?>) future).whenComplete((result, asyncError) -> scope.call.attemptLog().runWhenAttemptsSettled(
          () -> end(scope.context, scope.call, result, asyncError, mapResponse)));
    } catch (Throwable t) {
      SafeHooks.failed("async end", t);
    }
  }

  /**
   * Maps the library's response onto the call (a mapping that fails loses only what it had not
   * mapped yet), then ends the span. For ends on another thread, where no scope is open. Never throws.
   */
  public void end(Context context, LlmCall call, Object response, Throwable error,
      BiConsumer<LlmCall, Object> mapResponse) {
    if (response != null && mapResponse != null) {
      try {
        SafeHooks.checkpoint("response");
        mapResponse.accept(call, response);
      } catch (Throwable t) {
        SafeHooks.failed("response mapping", t);
      }
    }
    end(context, call, error);
  }

  /**
   * Ends the span once; attempt events are added first so they land inside the span. Never throws:
   * whatever fails on the way, the span is still ended, so the call's record is not lost.
   */
  public void end(Context context, LlmCall call, Throwable error) {
    if (!call.beginEnd()) return;
    try {
      SafeHooks.checkpoint("governance");
      Governance.get().afterCall(call, System.nanoTime() - call.startNanos());
    } catch (Throwable t) {
      SafeHooks.failed("governance at call end", t);
    }
    try {
      SafeHooks.checkpoint("answer review");
      answerReviewer.review(call, error);
    } catch (Throwable t) {
      SafeHooks.failed("answer review", t);
    } finally {
      call.outputReview().reviewed();
    }
    try {
      recordDecisionsAndAttempts(context, call);
      answerReviewer.record(context, call);
    } catch (Throwable t) {
      SafeHooks.failed("policy decisions, attempt events and escalations", t);
    }
    if (error == null) error = call.response().unusableResponse();
    takeFaultsInjectedElsewhere(context, call);
    try {
      SafeHooks.checkpoint("end");
      instrumenter.end(context, call, call, error);
    } catch (Throwable t) {
      SafeHooks.failed("span end", t);
      Span span = Span.fromContext(context);
      if (span.isRecording()) span.end(); // the record without what failed, rather than no record
    } finally {
      call.markEnded();
      drillCall(call, error);
      if (answerEvaluator != null) {
        try {
          answerEvaluator.submit(context, call, error);
        } catch (Throwable t) {
          SafeHooks.failed("evaluation", t);
        }
      }
      // After the call's span: the run it belongs to may be waiting for it to end its own.
      AgentRun run = AgentInstrumenter.currentRun(call.parentContext());
      if (run != null) run.callEnded();
    }
  }

  /**
   * Faults another copy of llm-otel put into this call's HTTP requests (the JDK HttpClient's, under a
   * framework's call) join the call's own before its span and metrics are recorded, so both carry them.
   */
  private static void takeFaultsInjectedElsewhere(Context context, LlmCall call) {
    try {
      dev.llmotel.core.faults.DrillReport drill = dev.llmotel.core.faults.Faults.get().report();
      if (drill == null) return;
      java.util.List<String> elsewhere = drill.takeFaultsAt(Span.fromContext(context).getSpanContext().getSpanId());
      if (elsewhere != null) for (String kind : elsewhere) call.attemptLog().faultInjected(kind);
    } catch (Throwable t) {
      SafeHooks.failed("drill report", t);
    }
  }

  /** What a chaos drill's report and the call's agent run keep of an ended call (fault injection on only). */
  private static void drillCall(LlmCall call, Throwable error) {
    try {
      dev.llmotel.core.faults.DrillReport drill = dev.llmotel.core.faults.Faults.get().report();
      if (drill == null) return;
      java.util.List<String> faults = call.attemptLog().faultsInjected();
      PolicyDecision refusal = call.governance().refusal();
      boolean refused = refusal != null && refusal.refused();
      drill.call(call.governance().workflow(), faults, System.nanoTime() - call.startNanos(), error != null,
          call.attemptLog().retryCount(), call.governance().costUsd());
      AgentRun run = AgentInstrumenter.currentRun(call.parentContext());
      if (run != null) {
        run.drillStep(faults != null && !faults.isEmpty(), refused, call.outputReview().escalationReason() != null,
            call.attemptLog().retryCount(), call.governance().costUsd());
      }
    } catch (Throwable t) {
      SafeHooks.failed("drill report", t);
    }
  }

  private void recordDecisionsAndAttempts(Context context, LlmCall call) {
    AgentInstrumenter.recordToolCallRequests(context, call);
    counters.record(context, call);
    Span span = Span.fromContext(context);
    for (AttemptLog.Attempt attempt : call.attemptLog().attempts()) {
      if (attempt.failed()) {
        span.addEvent(LlmOtelAttributes.EVENT_ATTEMPT_FAILED, attemptAttributes(attempt),
            attempt.epochNanosApprox, TimeUnit.NANOSECONDS);
      }
    }
  }

  /**
   * Whether the context holds an open call of llm-otel, also one made by a copy of these classes in
   * another class loader (the JDK's HttpClient has its own copy, in the platform class loader): keys
   * are compared by identity, so another copy's call is found by the key's name, and whether it is
   * open by what {@link LlmCall#toString} shows ({@link ForeignContextValues}). Only for the plain
   * HTTP clients, which must never trace a request an SDK's or framework's call already traces. An
   * ended call does not count: a request made in its context (from a completion callback) is a new
   * call. (OkHttp decides an async request in the context it was enqueued in, not in the context of
   * the call that finished on the thread that starts it.)
   */
  public static boolean hasOpenCallFromAnyClassLoader(Context context) {
    if (currentCall(context) != null) return true;
    return ForeignContextValues.hasValue(context, CALL_KEY_NAME, LlmCall.OPEN);
  }

  /** The LLM call in progress in this context, if an LLM-level span owns it and has not ended. */
  public static LlmCall currentCall(Context context) {
    LlmCall call = context == null ? null : context.get(CALL);
    return call == null || call.ended() ? null : call;
  }

  private static Attributes attemptAttributes(AttemptLog.Attempt attempt) {
    AttributesBuilder b = Attributes.builder()
        .put(LlmOtelAttributes.ATTEMPT_NUMBER, (long) attempt.number);
    if (attempt.statusCode != null) {
      b.put(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE, (long) attempt.statusCode);
    }
    if (attempt.retryAfter != null) b.put(LlmOtelAttributes.RETRY_AFTER, attempt.retryAfter);
    if (attempt.errorType != null) {
      b.put(GenAiAttributes.ERROR_TYPE, attempt.errorType);
    } else if (attempt.statusCode != null) {
      b.put(GenAiAttributes.ERROR_TYPE, String.valueOf(attempt.statusCode));
    }
    if (attempt.requestId != null) b.put(LlmOtelAttributes.PROVIDER_REQUEST_ID, attempt.requestId);
    return b.build();
  }
}
