package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.http.HttpLlmExchange;
import dev.llmotel.core.http.ResponseTap;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.internal.cache.Cache;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * Where an OkHttp call's exchange starts and ends: the first application interceptor of every
 * OkHttpClient (the advice only installs it, {@link #addTo}; OkHttp calls it for each call). A
 * request to a known LLM endpoint gets its LLM span (or enriches the SDK's or framework's span it
 * runs under); its response body is handed back wrapped, so the bytes are observed as the app
 * reads them. Injected faults go in at the last application interceptor ({@link OkHttpFaults}),
 * below the app's and SDKs' own interceptors, so a retry interceptor (Google GenAI's) meets them on
 * each attempt it makes.
 */
public final class OkHttpCalls implements Interceptor {
  static final OkHttpCalls INSTANCE = new OkHttpCalls();
  /** The exchange whose request is on its way down this thread's interceptor chain. */
  private static final ThreadLocal<InFlight> ACTIVE = new ThreadLocal<>();

  /** Adds the interceptor in front of a builder's application interceptors, and the fault one last. */
  public static void addTo(List<Interceptor> interceptors) {
    try {
      boolean first = !interceptors.isEmpty() && interceptors.get(0) instanceof OkHttpCalls;
      for (Iterator<Interceptor> it = interceptors.iterator(); it.hasNext(); ) {
        Interceptor i = it.next();
        if (i instanceof OkHttpFaults || (!first && i instanceof OkHttpCalls)) it.remove();
      }
      if (!first) interceptors.add(0, INSTANCE);
      interceptors.add(OkHttpFaults.INSTANCE); // a copied builder may have had interceptors added after it
    } catch (Throwable t) {
      SafeHooks.failed("okhttp interceptor", t);
    }
  }

  /**
   * The context each async call was enqueued in, until its chain starts. Weak keys: a call
   * cancelled before it ran leaves nothing behind.
   */
  private static final Cache<Object, Context> ENQUEUED_IN = Cache.weak();

  /** At {@code Call.enqueue}: remembers the context the call was enqueued in. */
  public static void enqueued(Object call) {
    try {
      Context current = Context.current();
      if (call != null && current != Context.root()) ENQUEUED_IN.put(call, current);
    } catch (Throwable t) {
      SafeHooks.failed("okhttp enqueue", t);
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    // An async call runs its chain in the context it was enqueued in: OkHttp may start a queued
    // call on the thread of another call that just finished, whose context is still current there
    // (an SDK's finished call). The request belongs to the call that enqueued it.
    Context enqueuedIn = enqueuedIn(chain);
    if (enqueuedIn != null && enqueuedIn != Context.current()) {
      try (Scope ignored = enqueuedIn.makeCurrent()) {
        return interceptInContext(chain);
      }
    }
    return interceptInContext(chain);
  }

  private static Context enqueuedIn(Chain chain) {
    try {
      Object call = chain.call();
      Context context = ENQUEUED_IN.get(call);
      if (context != null) ENQUEUED_IN.remove(call);
      return context;
    } catch (Throwable t) { // Chain.call() is missing before OkHttp 3.9: the current context stands
      return null;
    }
  }

  private Response interceptInContext(Chain chain) throws IOException {
    Request request = chain.request();
    HttpLlmExchange exchange = start(request);
    if (exchange == null) return chain.proceed(request);
    PolicyDecision refusal = exchange.refusal();
    if (refusal != null) {
      // What OkHttp throws when a call cannot be made: an IOException, naming the policy.
      IOException refused = new IOException(refusal.exceptionMessage());
      exchange.refused(refused);
      throw refused;
    }
    // The fault interceptor below needs the exchange only when a fault or a replayed answer may come.
    boolean faultsPossible = HttpLlmExchange.sdkAttemptsObserved();
    InFlight outer = faultsPossible ? ACTIVE.get() : null;
    if (faultsPossible) ACTIVE.set(new InFlight(exchange, request.url()));
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException | Error e) {
      exchange.failed(e);
      exchange.closeScope();
      throw e;
    } finally {
      if (faultsPossible) ACTIVE.set(outer);
    }
    try {
      return observe(exchange, response);
    } finally {
      exchange.closeScope();
    }
  }

  /** The exchange whose request is on its way down this thread's chain, or null. */
  static InFlight inFlight() {
    return ACTIVE.get();
  }

  /** An exchange and the URL its request was sent to, on its way down the chain. */
  static final class InFlight {
    final HttpLlmExchange exchange;
    final HttpUrl url;

    InFlight(HttpLlmExchange exchange, HttpUrl url) {
      this.exchange = exchange;
      this.url = url;
    }
  }

  private static HttpLlmExchange start(Request request) {
    try {
      if (!HttpLlmExchange.mayAct(request.method())) return null;
      HttpUrl url = request.url();
      return HttpLlmExchange.start(OkHttpTelemetry.INSTRUMENTER, request.method(), url.toString(), url.host(),
          url.port(), url.encodedPath(), () -> requestBytes(request.body()));
    } catch (Throwable t) {
      SafeHooks.failed("okhttp request", t);
      return null;
    }
  }

  /**
   * The request body as OkHttp will send it. Only bodies that can be written twice are read (a
   * one-shot or duplex body is the app's to write once): those are mapped without their content.
   */
  private static byte[] requestBytes(RequestBody body) throws IOException {
    if (body == null || writesOnce(body)) return null;
    Buffer buffer = new Buffer();
    body.writeTo(buffer);
    return buffer.readByteArray();
  }

  private static boolean writesOnce(RequestBody body) {
    try {
      return body.isOneShot() || body.isDuplex();
    } catch (NoSuchMethodError before314) {
      return false; // OkHttp before 3.14 has no one-shot or duplex bodies: every body can be written again
    }
  }

  private static Response observe(HttpLlmExchange exchange, Response response) {
    try {
      exchange.onResponse(response.code(), response::header);
      ResponseBody body = response.body();
      ResponseTap tap = exchange.tap(response.header("content-type"));
      if (tap == null) return response;
      if (body == null) {
        tap.closed();
        return response;
      }
      return response.newBuilder().body(new TappedResponseBody(body, tap)).build();
    } catch (Throwable t) {
      SafeHooks.failed("okhttp response", t);
      exchange.failed(null);
      return response;
    }
  }

  private OkHttpCalls() {}
}
