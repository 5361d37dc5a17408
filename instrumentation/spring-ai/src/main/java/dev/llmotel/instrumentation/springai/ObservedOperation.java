package dev.llmotel.instrumentation.springai;

import io.opentelemetry.context.Context;

/**
 * What one Spring AI observation stands for in our model (a model call, an agent run, a tool
 * execution, a retrieval), with its span. Started and ended by {@link TracedObservation}.
 */
abstract class ObservedOperation {
  private Context parent;
  private Context context;

  /** Starts the span under {@code parent}; returns its context, or null when none was made. */
  protected abstract Context begin(Context parent);

  /** Ends the span, reading what the observation's context holds by now (the response). */
  protected abstract void finish(Context context, Throwable error);

  /**
   * A model call is never the parent of what follows it: Spring AI 1.1 hands a streamed call's
   * observation on to the tool round and the next call it triggers, which belong to the agent.
   */
  boolean isModelCall() {
    return false;
  }

  /** Takes what it needs from the operation Spring AI named as its parent, if that is one of ours. */
  void inheritFrom(ObservedOperation namedParent) {}

  final void start(Context parent) {
    this.parent = parent;
    this.context = begin(parent);
  }

  final void end(Throwable error) {
    if (context != null) finish(context, error);
  }

  /** The context a child of this operation starts in. */
  final Context childParent() {
    if (isModelCall()) return parent;
    return context != null ? context : parent;
  }

  /** This operation's own context, made current while Spring AI runs its work; null without a span. */
  final Context context() {
    return context;
  }
}
