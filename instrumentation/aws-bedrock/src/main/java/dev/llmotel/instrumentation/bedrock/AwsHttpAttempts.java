package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.SkippedCall;
import dev.llmotel.core.http.BedrockWire;
import dev.llmotel.core.http.HttpFault;
import dev.llmotel.core.http.HttpLlmExchange;
import dev.llmotel.core.http.ResponseTap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * Fault injection and record/replay for Bedrock, one HTTP attempt at a time, where the AWS SDK
 * hands a signed request to its HTTP client (any client: the SDK's HTTP SPI). An injected fault is
 * what the client would give the SDK (a response with the service's error shape, the client's
 * connect or read exception, a body that breaks), so the SDK builds its own exception from it
 * (ThrottlingException from a 429, SdkClientException from an I/O error) and retries it by its own
 * retry policy, each attempt drawn anew.
 */
public final class AwsHttpAttempts {
  private static final Pattern BEDROCK_PATH =
      Pattern.compile("/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)");
  private static volatile ScheduledExecutorService timer;

  /** After a sync client prepared a request: the request that applies the attempt's fault or records it. */
  public static Object prepared(Object request, Object prepared) {
    try {
      if (prepared instanceof Attempt || !(request instanceof HttpExecuteRequest)
          || !(prepared instanceof ExecutableHttpRequest)) {
        return prepared; // an outer client wrapping this one: the inner one has taken the attempt
      }
      HttpExecuteRequest r = (HttpExecuteRequest) request;
      HttpLlmExchange exchange = exchange(r.httpRequest(), () -> body(r.contentStreamProvider()));
      return exchange == null ? prepared : new Attempt(exchange, (ExecutableHttpRequest) prepared, r.httpRequest());
    } catch (Throwable t) {
      SafeHooks.failed("aws http attempt", t);
      return prepared;
    }
  }

  private static HttpLlmExchange exchange(SdkHttpRequest request, HttpLlmExchange.RequestBytes body) throws Exception {
    if (!HttpLlmExchange.sdkAttemptsObserved()) return null;
    Matcher m = BEDROCK_PATH.matcher(request.encodedPath());
    if (!m.matches()) return null;
    Context context = callContext(request);
    if (context == null) return null;
    String path = request.encodedPath();
    try (Scope ignored = context.makeCurrent()) {
      return HttpLlmExchange.underSdkCall(BedrockWire.forPath(path, LlmInstrumenter.currentCall(context).operation()),
          path, URLDecoder.decode(m.group(1), "UTF-8"), body);
    }
  }

  /**
   * The context of the Bedrock call this attempt belongs to. The first attempt runs on the app's
   * thread, inside the call's span; a retry can run on an SDK thread the response's failure arrived
   * on, without it. The SDK's invocation id (one per API call, on every attempt) links them.
   */
  private static Context callContext(SdkHttpRequest request) {
    String invocation = request.firstMatchingHeader("amz-sdk-invocation-id").orElse(null);
    Context current = Context.current();
    if (LlmInstrumenter.currentCall(current) != null) {
      if (invocation != null) CALLS.put(invocation, current);
      return current;
    }
    return invocation == null ? null : CALLS.get(invocation);
  }

  /** Calls by invocation id, the most recent ones (only while fault injection or record/replay is on). */
  private static final Map<String, Context> CALLS = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<String, Context>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Context> eldest) {
          return size() > 512;
        }
      });

  private static byte[] body(Optional<ContentStreamProvider> provider) throws IOException {
    if (!provider.isPresent()) return null;
    try (InputStream in = provider.get().newStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) out.write(buffer, 0, n);
      return out.toByteArray();
    }
  }

  /** A sync attempt: the fault in the client's place, else the client's call with its body observed. */
  static final class Attempt implements ExecutableHttpRequest {
    private final HttpLlmExchange exchange;
    private final ExecutableHttpRequest delegate;
    private final SdkHttpRequest request;

    Attempt(HttpLlmExchange exchange, ExecutableHttpRequest delegate, SdkHttpRequest request) {
      this.exchange = exchange;
      this.delegate = delegate;
      this.request = request;
    }

    @Override
    public HttpExecuteResponse call() throws IOException {
      HttpFault fault = exchange.fault();
      HttpExecuteResponse response;
      try {
        if (fault != null) {
          IOException failure = fault.failureAfterWaiting(() -> connectFailed(request), AwsHttpAttempts::readTimedOut);
          if (failure != null) throw failure;
        }
        HttpFault.Response made = fault == null ? null : fault.response();
        response = made != null ? made(made) : delegate.call();
      } catch (IOException e) {
        exchange.failed(e);
        throw e;
      }
      try {
        SdkHttpResponse headers = response.httpResponse();
        HttpLlmExchange.AttemptBody observed = observe(exchange, headers, fault);
        if (!response.responseBody().isPresent() || !observed.observed()) {
          if (observed.tap != null) observed.tap.closed();
          return response;
        }
        AbortableInputStream body = response.responseBody().get();
        return HttpExecuteResponse.builder().response(headers)
            .responseBody(AbortableInputStream.create(observed.wrap(body, AwsHttpAttempts::connectionDropped), body))
            .build();
      } catch (Throwable t) {
        SafeHooks.failed("aws http response", t);
        return response;
      }
    }

    @Override
    public void abort() {
      delegate.abort();
    }
  }

  /** The attempt's status and headers handed to the exchange; what reads its body (record, cut). */
  private static HttpLlmExchange.AttemptBody observe(HttpLlmExchange exchange, SdkHttpResponse headers, HttpFault fault) {
    return exchange.attemptBody(headers.statusCode(), name -> headers.firstMatchingHeader(name).orElse(null), fault);
  }

  /** The HTTP client's exception when it cannot connect. */
  private static IOException connectFailed(SdkHttpRequest request) {
    return new ConnectException("Connect to " + request.host() + ":" + request.port() + " failed: Connection refused ("
        + HttpFault.MARK + ")");
  }

  private static IOException readTimedOut() {
    return new SocketTimeoutException("Read timed out (" + HttpFault.MARK + ")");
  }

  private static IOException connectionDropped() {
    return new IOException("Premature end of response body: connection closed (" + HttpFault.MARK + ")");
  }

  private static SdkHttpFullResponse headers(HttpFault.Response made) {
    SdkHttpFullResponse.Builder b = SdkHttpFullResponse.builder().statusCode(made.status).statusText(made.reason);
    for (Map.Entry<String, String> h : made.headers.entrySet()) b.putHeader(h.getKey(), h.getValue());
    b.putHeader("content-length", String.valueOf(made.body.length));
    return b.build();
  }

  private static HttpExecuteResponse made(HttpFault.Response made) {
    return HttpExecuteResponse.builder().response(headers(made))
        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(made.body))).build();
  }

  // ---- async ----

  /**
   * Before an async client executes a request: null to leave it alone, a {@link FaultedAsync} when
   * a fault answers it in the client's place (the method is skipped), else the request to execute
   * instead, whose response handler records the response and applies a cut.
   */
  public static Object beforeAsync(Object request) {
    try {
      if (!(request instanceof AsyncExecuteRequest)) return null;
      AsyncExecuteRequest r = (AsyncExecuteRequest) request;
      if (r.responseHandler() instanceof ObservedHandler) return null; // an outer client took the attempt
      // The body is a publisher the client subscribes to once: not read here (replay then matches
      // by provider, operation and model, in order).
      HttpLlmExchange exchange = exchange(r.request(), null);
      if (exchange == null) return null;
      HttpFault fault = exchange.fault();
      ObservedHandler handler = new ObservedHandler(r.responseHandler(), exchange, fault);
      if (fault != null && (fault.failsToConnect() || fault.timesOut() || fault.response() != null)) {
        return new FaultedAsync(handler, fault, r.request());
      }
      AsyncExecuteRequest.Builder b = AsyncExecuteRequest.builder().request(r.request())
          .requestContentPublisher(r.requestContentPublisher()).responseHandler(handler).fullDuplex(r.fullDuplex())
          .httpExecutionAttributes(r.httpExecutionAttributes());
      r.metricCollector().ifPresent(b::metricCollector);
      long latency = fault == null ? 0 : fault.latencyMillis();
      return latency > 0 ? new DelayedAsync(b.build(), latency) : b.build();
    } catch (Throwable t) {
      SafeHooks.failed("aws async http attempt", t);
      return null;
    }
  }

  /** The request the method runs with: the observed one from {@link #beforeAsync}, else the app's. */
  public static Object asyncRequest(Object state, Object request) {
    return state instanceof AsyncExecuteRequest ? state : request;
  }

  /** What execute returns: a skipped attempt's future, a delayed one's, else the client's own. */
  public static Object asyncResult(Object state, Object client, Object result) {
    if (state instanceof FaultedAsync) return ((FaultedAsync) state).run();
    if (state instanceof DelayedAsync && client instanceof SdkAsyncHttpClient) {
      // The client's execute, run again after the delay: its advice leaves an observed request alone.
      return ((DelayedAsync) state).run(((SdkAsyncHttpClient) client)::execute);
    }
    return result;
  }

  /**
   * An attempt with injected latency: the client's execute runs after the delay, on a timer thread,
   * so the caller is not blocked (as a slow network does not block an async caller either).
   */
  public static final class DelayedAsync extends SkippedCall {
    final AsyncExecuteRequest request;
    final long latencyMillis;

    DelayedAsync(AsyncExecuteRequest request, long latencyMillis) {
      this.request = request;
      this.latencyMillis = latencyMillis;
    }

    /** Runs the client's execute after the delay; the returned future follows it. */
    CompletableFuture<Void> run(Function<AsyncExecuteRequest, CompletableFuture<Void>> execute) {
      CompletableFuture<Void> result = new CompletableFuture<>();
      timer().schedule(() -> {
        try {
          execute.apply(request).whenComplete((v, e) -> {
            if (e != null) result.completeExceptionally(e);
            else result.complete(v);
          });
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      }, latencyMillis, TimeUnit.MILLISECONDS);
      return result;
    }
  }

  /** An async attempt fault injection or replay answers: through the SDK's handler, after the fault's delay. */
  public static final class FaultedAsync extends SkippedCall {
    private final ObservedHandler handler;
    private final HttpFault fault;
    private final SdkHttpRequest request;

    FaultedAsync(ObservedHandler handler, HttpFault fault, SdkHttpRequest request) {
      this.handler = handler;
      this.fault = fault;
      this.request = request;
    }

    CompletableFuture<Void> run() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      long delay = fault.latencyMillis() + (fault.timesOut() ? fault.timeoutMillis() : 0);
      timer().schedule(() -> {
        try {
          // The delay (latency and a timeout's time) was waited on the timer, not on a caller's thread.
          IOException failure = fault.failure(() -> connectFailed(request), AwsHttpAttempts::readTimedOut);
          if (failure != null) {
            handler.onError(failure);
            done.completeExceptionally(failure);
            return;
          }
          HttpFault.Response made = fault.response();
          handler.onHeaders(headers(made));
          handler.onStream(new OneBuffer(ByteBuffer.wrap(made.body), done));
        } catch (Throwable t) {
          done.completeExceptionally(t);
        }
      }, delay, TimeUnit.MILLISECONDS);
      return done;
    }
  }

  private static ScheduledExecutorService timer() {
    ScheduledExecutorService t = timer;
    if (t == null) {
      synchronized (AwsHttpAttempts.class) {
        if (timer == null) {
          ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "llm-otel-fault-timer");
            thread.setDaemon(true);
            return thread;
          });
          executor.setRemoveOnCancelPolicy(true);
          timer = executor;
        }
        t = timer;
      }
    }
    return t;
  }

  /** A publisher of one buffer: a made response's whole body. */
  static final class OneBuffer implements Publisher<ByteBuffer> {
    private final ByteBuffer buffer;
    private final CompletableFuture<Void> done;

    OneBuffer(ByteBuffer buffer, CompletableFuture<Void> done) {
      this.buffer = buffer;
      this.done = done;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
      s.onSubscribe(new Subscription() {
        private boolean finished;

        @Override
        public synchronized void request(long n) {
          if (finished || n <= 0) return;
          finished = true;
          if (buffer.hasRemaining()) s.onNext(buffer.duplicate());
          s.onComplete();
          done.complete(null);
        }

        @Override
        public synchronized void cancel() {
          finished = true;
          done.complete(null);
        }
      });
    }
  }

  /**
   * The SDK's response handler, as the attempt's response passes through it: status and headers
   * go to the exchange, the body's buffers to its tap (record mode), up to the fault's cut.
   */
  static final class ObservedHandler implements SdkAsyncHttpResponseHandler {
    private final SdkAsyncHttpResponseHandler delegate;
    private final HttpLlmExchange exchange;
    private final HttpFault fault;
    private HttpLlmExchange.AttemptBody body;

    ObservedHandler(SdkAsyncHttpResponseHandler delegate, HttpLlmExchange exchange, HttpFault fault) {
      this.delegate = delegate;
      this.exchange = exchange;
      this.fault = fault;
    }

    @Override
    public void onHeaders(SdkHttpResponse headers) {
      try {
        body = observe(exchange, headers, fault);
      } catch (Throwable t) {
        SafeHooks.failed("aws async response headers", t);
      }
      delegate.onHeaders(headers);
    }

    @Override
    public void onStream(Publisher<ByteBuffer> stream) {
      delegate.onStream(body == null || !body.observed() ? stream : new ObservedStream(stream, body.tap, body.cut));
    }

    @Override
    public void onError(Throwable error) {
      try {
        exchange.failed(error);
      } catch (Throwable t) {
        SafeHooks.failed("aws async failure", t);
      }
      delegate.onError(error);
    }
  }

  /** The body's buffers on their way to the SDK: shown to the tap, ending early at the cut. */
  static final class ObservedStream implements Publisher<ByteBuffer> {
    private final Publisher<ByteBuffer> upstream;
    private final ResponseTap tap;
    private final HttpFault.BodyCut cut;

    ObservedStream(Publisher<ByteBuffer> upstream, ResponseTap tap, HttpFault.BodyCut cut) {
      this.upstream = upstream;
      this.tap = tap;
      this.cut = cut;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> downstream) {
      upstream.subscribe(new Subscriber<ByteBuffer>() {
        private Subscription subscription;
        private boolean stopped;

        @Override
        public void onSubscribe(Subscription s) {
          subscription = s;
          downstream.onSubscribe(s);
        }

        @Override
        public void onNext(ByteBuffer buffer) {
          if (stopped) return;
          ByteBuffer out = buffer;
          if (cut != null || tap != null) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            int allowed = cut == null ? bytes.length : cut.allow(bytes, 0, bytes.length);
            if (allowed < bytes.length) out = ByteBuffer.wrap(bytes, 0, allowed).slice();
            if (tap != null && allowed > 0) safely(() -> tap.bytes(bytes, 0, allowed));
          }
          if (out.hasRemaining()) downstream.onNext(out);
          if (cut != null && cut.reached()) {
            // The AWS SDK's Netty client ends a response whose connection dropped mid-body as if it
            // had ended (the SDK sees a stream without its closing events), so the cut does too.
            stopped = true;
            subscription.cancel();
            if (tap != null) safely(() -> tap.error(connectionDropped()));
            downstream.onComplete();
          }
        }

        @Override
        public void onError(Throwable t) {
          if (stopped) return;
          if (tap != null) safely(() -> tap.error(t));
          downstream.onError(t);
        }

        @Override
        public void onComplete() {
          if (stopped) return;
          if (tap != null) safely(tap::end);
          downstream.onComplete();
        }
      });
    }
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      SafeHooks.failed("aws async body", t);
    }
  }

  private AwsHttpAttempts() {}
}
