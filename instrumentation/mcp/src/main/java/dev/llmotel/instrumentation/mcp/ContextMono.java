package dev.llmotel.instrumentation.mcp;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/**
 * A Mono subscribed with a context current: the SDK builds its request (and a server runs its
 * handler) when the Mono is subscribed, often later and on another thread than the method that
 * returned it; the operation's context is current there, so what runs below (the transport's HTTP
 * call, the app's tool code) nests under the operation's span.
 */
final class ContextMono<T> extends MonoOperator<T, T> {
  private final Context context;

  ContextMono(Mono<? extends T> source, Context context) {
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
