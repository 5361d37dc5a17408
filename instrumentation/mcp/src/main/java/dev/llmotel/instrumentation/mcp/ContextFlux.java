package dev.llmotel.instrumentation.mcp;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * A Flux subscribed with a context current, as {@link ContextMono}: a server's streamed response runs
 * its handler when the transport subscribes to the stream, later than the request's dispatch.
 */
final class ContextFlux<T> extends FluxOperator<T, T> {
  private final Context context;

  ContextFlux(Flux<? extends T> source, Context context) {
    super(source);
    this.context = context;
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    try (Scope ignored = context.makeCurrent()) {
      source.subscribe(actual);
    }
  }
}
