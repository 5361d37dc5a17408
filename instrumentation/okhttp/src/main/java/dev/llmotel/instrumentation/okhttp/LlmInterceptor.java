package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.http.HttpFault;
import dev.llmotel.core.http.HttpLlmExchange;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * The first application interceptor of every OkHttpClient: a request to a known LLM endpoint gets
 * its LLM span (or enriches the SDK's or framework's span it runs under); its response body is
 * handed back wrapped, so the bytes are observed as the app reads them. Injected faults go in at
 * the last application interceptor ({@link AttemptFaults}), below the app's and SDKs' own
 * interceptors, so a retry interceptor (Google GenAI's) meets them on each attempt it makes.
 */
public final class LlmInterceptor implements Interceptor {
  static final LlmInterceptor INSTANCE = new LlmInterceptor();
  /** The exchange whose request is on its way down this thread's interceptor chain. */
  private static final ThreadLocal<InFlight> ACTIVE = new ThreadLocal<>();

  /** Adds the interceptor in front of a builder's application interceptors, and the fault one last. */
  public static void addTo(List<Interceptor> interceptors) {
    try {
      boolean first = !interceptors.isEmpty() && interceptors.get(0) instanceof LlmInterceptor;
      for (java.util.Iterator<Interceptor> it = interceptors.iterator(); it.hasNext(); ) {
        Interceptor i = it.next();
        if (i instanceof AttemptFaults || (!first && i instanceof LlmInterceptor)) it.remove();
      }
      if (!first) interceptors.add(0, INSTANCE);
      interceptors.add(AttemptFaults.INSTANCE); // a copied builder may have had interceptors added after it
    } catch (Throwable t) {
      SafeHooks.failed("okhttp interceptor", t);
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
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
    InFlight outer = ACTIVE.get();
    ACTIVE.set(new InFlight(exchange, request.url()));
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException | Error e) {
      exchange.failed(e);
      exchange.closeScope();
      throw e;
    } finally {
      ACTIVE.set(outer);
    }
    try {
      return observe(exchange, response);
    } finally {
      exchange.closeScope();
    }
  }

  /** An exchange and the URL its request was sent to, on its way down the chain. */
  private static final class InFlight {
    final HttpLlmExchange exchange;
    final HttpUrl url;

    InFlight(HttpLlmExchange exchange, HttpUrl url) {
      this.exchange = exchange;
      this.url = url;
    }
  }

  /**
   * The last application interceptor: each attempt the interceptors above send down gets its
   * injected fault (drawn anew per attempt) or its replayed answer here.
   */
  public static final class AttemptFaults implements Interceptor {
    static final AttemptFaults INSTANCE = new AttemptFaults();

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      InFlight call = ACTIVE.get();
      // Another request sent from inside the chain (an interceptor fetching a token) is not the call's.
      if (call == null || !call.url.host().equals(request.url().host())
          || !call.url.encodedPath().equals(request.url().encodedPath())) {
        return chain.proceed(request);
      }
      HttpFault fault;
      try {
        fault = call.exchange.attemptFault();
      } catch (Throwable t) {
        SafeHooks.failed("okhttp fault injection", t);
        fault = null;
      }
      if (fault == null) return chain.proceed(request);
      Response response = proceedWithFault(chain, request, fault);
      HttpFault.BodyCut cut = fault.cut();
      if (cut == null || response.body() == null) return response;
      return response.newBuilder().body(new CutResponseBody(response.body(), cut)).build();
    }
  }

  /**
   * An injected fault as OkHttp itself would show it: a delay, the exceptions its connect and read
   * paths throw, a response the server did not send, or (by the caller) a body that ends early. The chain below is never called for a fault that replaces the exchange.
   */
  private static Response proceedWithFault(Chain chain, Request request, HttpFault fault) throws IOException {
    IOException failure = fault.failureAfterWaiting(
        () -> fault.connectException(request.url().host(), request.url().port()),
        () -> new SocketTimeoutException("timeout (" + HttpFault.MARK + ")"));
    if (failure != null) throw failure;
    HttpFault.Response made = fault.response();
    if (made == null) return chain.proceed(request);
    Response.Builder b = new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(made.status)
        .message(made.reason).sentRequestAtMillis(System.currentTimeMillis())
        .receivedResponseAtMillis(System.currentTimeMillis());
    for (Map.Entry<String, String> h : made.headers.entrySet()) b.header(h.getKey(), h.getValue());
    return b.body(ResponseBody.create(MediaType.parse(made.headers.get("content-type")), made.body)).build();
  }

  private static HttpLlmExchange start(Request request) {
    try {
      if (!"POST".equals(request.method())) return null;
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
      HttpLlmExchange.ResponseTap tap = exchange.tap(response.header("content-type"));
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
}
