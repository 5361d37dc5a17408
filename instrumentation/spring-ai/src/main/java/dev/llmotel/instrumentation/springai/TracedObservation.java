package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.SafeHooks;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationView;

/**
 * Spring AI's own observation, with our span riding on its lifecycle. Spring AI opens exactly one
 * observation per model call, tool execution, ChatClient call and vector store query, in every
 * provider module and in both 1.1 and 2.0, so these are the boundaries we trace. Everything is
 * passed on to the observation Spring AI would have used (a no-op one unless the app turned
 * observations on), so the app's own handlers and metrics still see every call.
 */
final class TracedObservation implements Observation {
  private final Observation delegate;
  private final Observation.Context aiContext;
  private final ObservedOperation operation;
  private volatile Observation parent;
  private volatile boolean started;
  private volatile boolean stopped;
  private volatile Throwable error;

  TracedObservation(Observation delegate, Observation.Context aiContext, ObservedOperation operation) {
    this.delegate = delegate;
    this.aiContext = aiContext;
    this.operation = operation;
  }

  ObservedOperation operation() {
    return operation;
  }

  @Override
  public Observation start() {
    if (!started) {
      started = true;
      try {
        operation.start(parentContext());
      } catch (PolicyRefusal refusal) {
        // Enforcement: the call is refused before Spring AI sends anything, with the exception
        // Spring AI itself throws for that condition, so the app's error handling takes over.
        throw refusal.exception;
      } catch (Throwable t) {
        SafeHooks.failed("spring ai span start", t);
      }
    }
    delegate.start();
    return this;
  }

  /**
   * The parent Spring AI names (its reactive code passes the ChatClient's observation along in the
   * Reactor context) when it is one of ours; otherwise the current context, which is ours whenever
   * Spring AI runs inside one of our observations' scopes.
   */
  private io.opentelemetry.context.Context parentContext() {
    Observation named = parent;
    if (named == null) {
      ObservationView fromContext = aiContext.getParentObservation();
      if (fromContext instanceof Observation) named = (Observation) fromContext;
    }
    if (named == null) named = ReactiveToolContext.observation();
    if (named instanceof TracedObservation) {
      TracedObservation traced = (TracedObservation) named;
      operation.inheritFrom(traced.operation);
      io.opentelemetry.context.Context parentOfChildren = traced.operation.childParent();
      if (parentOfChildren != null) return parentOfChildren;
    }
    return io.opentelemetry.context.Context.current();
  }

  @Override
  public Observation parentObservation(Observation parentObservation) {
    this.parent = parentObservation;
    delegate.parentObservation(parentObservation);
    return this;
  }

  @Override
  public Observation error(Throwable error) {
    this.error = error;
    delegate.error(error);
    return this;
  }

  @Override
  public void stop() {
    try {
      delegate.stop();
    } finally {
      if (started && !stopped) {
        stopped = true;
        try {
          operation.end(error);
        } catch (PolicyRefusal rejected) {
          // Enforcement: a blocking call's answer the output_validation policy rejected. Spring AI
          // stops the observation in observe()'s finally, so the app gets this instead of the answer.
          throw rejected.exception;
        } catch (Throwable t) {
          SafeHooks.failed("spring ai span end", t);
        }
      }
    }
  }

  @Override
  public Observation.Scope openScope() {
    Observation.Scope theirs = delegate.openScope();
    io.opentelemetry.context.Scope ours = null;
    try {
      io.opentelemetry.context.Context context = operation.context();
      if (context != null) ours = context.makeCurrent();
    } catch (Throwable t) {
      SafeHooks.failed("spring ai scope", t);
    }
    return ours == null ? theirs : new BothScopes(theirs, ours);
  }

  @Override
  public Observation.Context getContext() {
    return delegate.isNoop() ? aiContext : delegate.getContext();
  }

  @Override
  public boolean isNoop() {
    return delegate.isNoop();
  }

  @Override
  public Observation contextualName(String contextualName) {
    delegate.contextualName(contextualName);
    return this;
  }

  @Override
  public Observation lowCardinalityKeyValue(KeyValue keyValue) {
    delegate.lowCardinalityKeyValue(keyValue);
    return this;
  }

  @Override
  public Observation highCardinalityKeyValue(KeyValue keyValue) {
    delegate.highCardinalityKeyValue(keyValue);
    return this;
  }

  @Override
  public Observation observationConvention(ObservationConvention<?> observationConvention) {
    delegate.observationConvention(observationConvention);
    return this;
  }

  @Override
  public Observation event(Event event) {
    delegate.event(event);
    return this;
  }

  /** Spring AI's observation scope and our context's scope, closed in reverse order. */
  private static final class BothScopes implements Observation.Scope {
    private final Observation.Scope theirs;
    private final io.opentelemetry.context.Scope ours;

    BothScopes(Observation.Scope theirs, io.opentelemetry.context.Scope ours) {
      this.theirs = theirs;
      this.ours = ours;
    }

    @Override
    public Observation getCurrentObservation() {
      return theirs.getCurrentObservation();
    }

    @Override
    public Observation.Scope getPreviousObservationScope() {
      return theirs.getPreviousObservationScope();
    }

    @Override
    public void close() {
      Runnable comeBack = StreamSubscription.stepAside();
      try {
        ours.close();
      } finally {
        theirs.close();
        if (comeBack != null) comeBack.run();
      }
    }

    @Override
    public void reset() {
      theirs.reset();
    }

    @Override
    public void makeCurrent() {
      theirs.makeCurrent();
    }
  }
}
