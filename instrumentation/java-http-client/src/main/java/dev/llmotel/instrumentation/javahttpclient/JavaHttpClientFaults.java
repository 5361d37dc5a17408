package dev.llmotel.instrumentation.javahttpclient;

import dev.llmotel.core.SkippedCall;
import dev.llmotel.core.faults.InjectedFault;
import dev.llmotel.core.http.HttpFault;
import dev.llmotel.core.http.HttpLlmExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * Injected faults as the JDK's HttpClient itself shows them: {@code ConnectException} and
 * {@code HttpTimeoutException} from {@code send} (a failed future from {@code sendAsync}), a
 * response the server did not send (made by the app's own body handler, so the app gets the body
 * type it asked for), or the real body ending with an I/O error.
 */
final class JavaHttpClientFaults {
  /** A send that fault injection answers in the client's place: the method is skipped. */
  static final class FaultedSend extends SkippedCall {
    final HttpLlmExchange exchange;
    final HttpFault fault;
    final HttpRequest request;
    final boolean async;
    HttpResponse.BodyHandler<?> handler;
    IOException failure;

    FaultedSend(HttpLlmExchange exchange, HttpFault fault, HttpRequest request, boolean async) {
      this.exchange = exchange;
      this.fault = fault;
      this.request = request;
      this.async = async;
    }
  }

  /** Before the send: the fault's state when it replaces the exchange, else the exchange (latency slept). */
  static Object apply(HttpLlmExchange exchange, HttpRequest request, boolean async) {
    HttpFault fault = exchange.fault();
    if (fault == null) return exchange;
    boolean replaces = fault.failsToConnect() || fault.timesOut() || fault.response() != null;
    // A blocking send waits here; an async one completes later instead of blocking its caller.
    if (!async) InjectedFault.sleep(fault.latencyMillis());
    return replaces ? new FaultedSend(exchange, fault, request, async) : exchange;
  }

  /** What a faulted blocking send returns (its response) or throws. */
  static Object sendOutcome(FaultedSend f) throws IOException {
    try {
      return outcome(f);
    } catch (IOException e) {
      f.exchange.failed(e);
      throw e;
    } finally {
      f.exchange.closeScope();
    }
  }

  /** What a faulted sendAsync returns: a future completed after the fault's delay. */
  static CompletableFuture<Object> sendAsyncOutcome(FaultedSend f) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    long delay = f.fault.latencyMillis() + (f.fault.timesOut() ? f.fault.timeoutMillis() : 0);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
      try {
        result.complete(made(f));
      } catch (IOException e) {
        f.exchange.failed(e);
        result.completeExceptionally(e);
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    f.exchange.closeScope();
    return result;
  }

  private static Object outcome(FaultedSend f) throws IOException {
    if (f.fault.timesOut()) InjectedFault.sleep(f.fault.timeoutMillis());
    return made(f);
  }

  private static Object made(FaultedSend f) throws IOException {
    URI uri = f.request.uri();
    IOException failure = f.fault.failure(() -> f.fault.connectException(uri.getHost(), uri.getPort()),
        () -> new HttpTimeoutException("request timed out (" + HttpFault.MARK + ")"));
    if (failure != null) throw failure;
    return synthesize(f.request, f.handler, f.fault.response());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object synthesize(HttpRequest request, HttpResponse.BodyHandler handler, HttpFault.Response made)
      throws IOException {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : made.headers.entrySet()) {
      map.put(h.getKey(), Collections.singletonList(h.getValue()));
    }
    HttpHeaders headers = HttpHeaders.of(map, (a, b) -> true);
    HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
      @Override public int statusCode() { return made.status; }
      @Override public HttpHeaders headers() { return headers; }
      @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    };
    HttpResponse.BodySubscriber subscriber = (HttpResponse.BodySubscriber) handler.apply(info);
    subscriber.onSubscribe(new Flow.Subscription() {
      private boolean done;

      @Override
      public void request(long n) {
        if (done || n <= 0) return;
        done = true;
        subscriber.onNext(Collections.singletonList(ByteBuffer.wrap(made.body)));
        subscriber.onComplete();
      }

      @Override
      public void cancel() {
        done = true;
      }
    });
    Object body;
    try {
      body = subscriber.getBody().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException(e.getMessage(), e);
    }
    return new Made<>(request, info, body);
  }

  /** A response fault injection made. */
  static final class Made<T> implements HttpResponse<T> {
    private final HttpRequest request;
    private final ResponseInfo info;
    private final T body;

    Made(HttpRequest request, ResponseInfo info, T body) {
      this.request = request;
      this.info = info;
      this.body = body;
    }

    @Override public int statusCode() { return info.statusCode(); }
    @Override public HttpRequest request() { return request; }
    @Override public Optional<HttpResponse<T>> previousResponse() { return Optional.empty(); }
    @Override public HttpHeaders headers() { return info.headers(); }
    @Override public T body() { return body; }
    @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
    @Override public URI uri() { return request.uri(); }
    @Override public HttpClient.Version version() { return info.version(); }
  }

  /** The app's body subscriber, given the real bytes up to the cut, then the I/O error of a dropped connection. */
  static final class CutBodySubscriber<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> delegate;
    private final HttpFault.BodyCut cut;
    private Flow.Subscription upstream;
    private boolean failed;

    CutBodySubscriber(HttpResponse.BodySubscriber<T> delegate, HttpFault.BodyCut cut) {
      this.delegate = delegate;
      this.cut = cut;
    }

    @Override
    public CompletionStage<T> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      upstream = subscription;
      delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (failed) return;
      List<ByteBuffer> pass = new ArrayList<>(items.size());
      for (ByteBuffer item : items) {
        byte[] bytes = new byte[item.remaining()];
        item.get(bytes);
        int allowed = cut.allow(bytes, 0, bytes.length);
        if (allowed > 0) pass.add(ByteBuffer.wrap(bytes, 0, allowed));
        if (cut.reached()) break;
      }
      if (!pass.isEmpty()) delegate.onNext(pass);
      if (cut.reached()) {
        failed = true;
        upstream.cancel();
        delegate.onError(cut.failure());
      }
    }

    @Override
    public void onError(Throwable throwable) {
      if (!failed) delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
      if (!failed) delegate.onComplete();
    }
  }

  private JavaHttpClientFaults() {}
}
