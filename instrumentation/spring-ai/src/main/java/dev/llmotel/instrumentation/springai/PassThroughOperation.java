package dev.llmotel.instrumentation.springai;

import io.opentelemetry.context.Context;

/**
 * A Spring AI observation we make no span for (an advisor, a vector store write). It is still
 * wrapped because Spring AI's reactive code names it as the parent of what runs inside it: this
 * passes our parent through, so a streamed model call under an advisor still finds its agent.
 */
final class PassThroughOperation extends ObservedOperation {
  @Override
  protected Context begin(Context parent) {
    return null;
  }

  @Override
  protected void finish(Context context, Throwable error) {}
}
