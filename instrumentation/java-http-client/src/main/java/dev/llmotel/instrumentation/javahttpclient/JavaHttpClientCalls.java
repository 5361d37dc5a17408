package dev.llmotel.instrumentation.javahttpclient;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.http.HttpFault;
import dev.llmotel.core.http.HttpLlmExchange;
import dev.llmotel.core.http.ResponseTap;
import dev.llmotel.core.http.TappedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * What the advice on the JDK's HttpClient calls: a request to a known LLM endpoint becomes an
 * {@link HttpLlmExchange}; the app's body handler is wrapped so that the response's bytes are
 * observed as its own subscriber receives them. Every method is safe: a failure of ours is logged
 * once and the app's call goes on untouched.
 */
public final class JavaHttpClientCalls {
  /** Before send/sendAsync: the exchange, or null when the request is not an LLM call. */
  public static Object start(Object request) {
    try {
      if (!(request instanceof HttpRequest)) return null;
      HttpRequest r = (HttpRequest) request;
      if (!HttpLlmExchange.mayAct(r.method())) return null;
      URI uri = r.uri();
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return HttpLlmExchange.start(JavaHttpClientTelemetry.INSTRUMENTER, r.method(), uri.toString(), uri.getHost(),
          port, uri.getRawPath(), () -> r.bodyPublisher().map(JavaHttpClientCalls::replayableBytes).orElse(null));
    } catch (Throwable t) {
      SafeHooks.failed("java http client request", t);
      return null;
    }
  }

  /**
   * The body of the publishers that give the same bytes to every subscriber (ofString,
   * ofByteArray): read by subscribing once more. Other publishers (an input stream, an iterable
   * the app may consume once) are the client's to read: the call is then mapped without its body.
   */
  static byte[] replayableBytes(HttpRequest.BodyPublisher publisher) {
    String type = publisher.getClass().getName();
    if (!type.equals("jdk.internal.net.http.RequestPublishers$ByteArrayPublisher")
        && !type.equals("jdk.internal.net.http.RequestPublishers$StringPublisher")) {
      return null;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(publisher.contentLength(), 1 << 20)));
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] b = new byte[item.remaining()];
        item.get(b);
        out.write(b, 0, b.length);
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    try {
      done.get(1, TimeUnit.SECONDS); // these publishers deliver at once, on the subscribing thread
      return out.toByteArray();
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Before send/sendAsync: the state for the exit advice. A refused call is a {@link CallRefusal}
   * (the method is skipped; it fails with the client's own I/O exception, naming the policy); a call
   * fault injection answers is a {@link JavaHttpClientFaults.FaultedSend} (skipped as well).
   */
  public static Object startOrRefuse(Object request, boolean async) {
    Object state = start(request);
    if (!(state instanceof HttpLlmExchange)) return state;
    HttpLlmExchange exchange = (HttpLlmExchange) state;
    PolicyDecision refusal = exchange.refusal();
    if (refusal == null) {
      try {
        return JavaHttpClientFaults.apply(exchange, (HttpRequest) request, async);
      } catch (Throwable t) {
        SafeHooks.failed("java http client fault injection", t);
        return exchange;
      }
    }
    IOException refused = new IOException(refusal.exceptionMessage());
    exchange.refused(refused);
    return new CallRefusal(refused);
  }

  /** The app's body handler, seen from the side. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object wrapHandler(Object state, Object handler) {
    if (!(handler instanceof HttpResponse.BodyHandler)) return handler;
    if (state instanceof JavaHttpClientFaults.FaultedSend) {
      JavaHttpClientFaults.FaultedSend f = (JavaHttpClientFaults.FaultedSend) state;
      f.handler = new TappedBodyHandler(f.exchange, (HttpResponse.BodyHandler) handler);
      return f.handler;
    }
    if (!(state instanceof HttpLlmExchange)) return handler;
    return new TappedBodyHandler((HttpLlmExchange) state, (HttpResponse.BodyHandler) handler);
  }

  /** After a send fault injection answered: its response, or (through {@link #thrown}) its exception. */
  public static Object faultedResponse(Object state, Object response) {
    if (!(state instanceof JavaHttpClientFaults.FaultedSend)) return response;
    JavaHttpClientFaults.FaultedSend f = (JavaHttpClientFaults.FaultedSend) state;
    try {
      return JavaHttpClientFaults.sendOutcome(f);
    } catch (IOException e) {
      f.failure = e;
      return null;
    }
  }

  /** What the exit of send throws: a refusal's or a fault's exception, else what the client threw. */
  public static Throwable thrown(Object state, Throwable error) {
    if (state instanceof JavaHttpClientFaults.FaultedSend) {
      IOException failure = ((JavaHttpClientFaults.FaultedSend) state).failure;
      return failure != null ? failure : error;
    }
    return CallRefusal.thrown(state, error);
  }

  /** After send: the scope closes; a send that threw ends the span with what it threw. */
  public static void endSend(Object state, Throwable error) {
    if (!(state instanceof HttpLlmExchange)) return;
    HttpLlmExchange exchange = (HttpLlmExchange) state;
    if (error != null) exchange.failed(error);
    exchange.closeScope();
  }

  /** After sendAsync: the scope closes; a future that fails before a response ends the span with its error. */
  public static Object endSendAsync(Object state, Object future, Throwable error) {
    if (state instanceof CallRefusal) return CallRefusal.failedFutureOr(state, future);
    if (state instanceof JavaHttpClientFaults.FaultedSend) {
      return JavaHttpClientFaults.sendAsyncOutcome((JavaHttpClientFaults.FaultedSend) state);
    }
    if (!(state instanceof HttpLlmExchange)) return future;
    HttpLlmExchange exchange = (HttpLlmExchange) state;
    try {
      if (error != null) {
        exchange.failed(error);
      } else if (future instanceof CompletableFuture) {
        ((CompletableFuture<?>) future).whenComplete((r, e) -> {
          if (e != null) exchange.failed(e);
        });
      }
    } catch (Throwable t) {
      SafeHooks.failed("java http client async", t);
    } finally {
      exchange.closeScope();
    }
    return future;
  }

  /** Wraps the BodySubscriber the app's handler makes for the response. */
  static final class TappedBodyHandler<T> implements HttpResponse.BodyHandler<T> {
    private final HttpLlmExchange exchange;
    private final HttpResponse.BodyHandler<T> delegate;

    TappedBodyHandler(HttpLlmExchange exchange, HttpResponse.BodyHandler<T> delegate) {
      this.exchange = exchange;
      this.delegate = delegate;
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
      HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
      ResponseTap tap = null;
      try {
        exchange.onResponse(info.statusCode(), name -> info.headers().firstValue(name).orElse(null));
        tap = exchange.tap(info.headers().firstValue("content-type").orElse(null));
      } catch (Throwable t) {
        SafeHooks.failed("java http client response", t);
      }
      HttpResponse.BodySubscriber<T> observed = tap == null ? subscriber : new TappedBodySubscriber<>(subscriber, tap);
      HttpFault fault = exchange.fault();
      HttpFault.BodyCut cut = fault == null ? null : fault.cut();
      return cut == null ? observed : new JavaHttpClientFaults.CutBodySubscriber<>(observed, cut);
    }
  }

  /**
   * The app's body subscriber, unchanged. A body the app gets whole (ofString, ofByteArray, ...) is
   * shown to the tap as the subscriber receives it, and the span ends before the app gets the body
   * (so an app that retries at once finds this attempt recorded). A body the app reads as an
   * InputStream is shown as the app reads it: the JDK's subscriber buffers ahead, which is not what
   * the app read.
   */
  static final class TappedBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final ResponseTap tap;
    private final java.util.concurrent.CompletionStage<T> body;
    private final boolean readByApp;

    @SuppressWarnings("unchecked")
    TappedBodySubscriber(HttpResponse.BodySubscriber<T> delegate, ResponseTap tap) {
      this.delegate = delegate;
      this.tap = tap;
      java.util.concurrent.CompletionStage<T> original = delegate.getBody();
      Object ready = null;
      try {
        CompletableFuture<T> future = original.toCompletableFuture();
        ready = future.isDone() && !future.isCompletedExceptionally() ? future.getNow(null) : null;
      } catch (Throwable t) {
        SafeHooks.failed("java http client body", t);
      }
      this.readByApp = ready instanceof InputStream;
      this.body = readByApp
          ? CompletableFuture.completedFuture((T) new TappedInputStream((InputStream) ready, tap)) : original;
    }

    @Override
    public java.util.concurrent.CompletionStage<T> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      delegate.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          subscription.request(n);
        }

        @Override
        public void cancel() {
          try {
            subscription.cancel();
          } finally {
            tap.closed();
          }
        }
      });
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      if (!readByApp) {
        try {
          for (ByteBuffer b : item) {
            ByteBuffer copy = b.asReadOnlyBuffer();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            tap.bytes(bytes, 0, bytes.length);
          }
        } catch (Throwable t) {
          SafeHooks.failed("java http client body tap", t);
        }
      }
      delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      tap.error(throwable);
      delegate.onError(throwable);
    }

    /** A whole body whose answer the output_validation policy rejected fails as the client's I/O error. */
    @Override
    public void onComplete() {
      java.io.IOException rejection = null;
      if (!readByApp) {
        tap.end();
        rejection = tap.rejection();
      }
      if (rejection != null) {
        delegate.onError(rejection);
      } else {
        delegate.onComplete();
      }
    }
  }

  private JavaHttpClientCalls() {}
}
