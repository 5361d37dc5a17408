package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.faults.InjectedFault;
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
 * handed back wrapped, so the bytes are observed as the app reads them.
 */
public final class LlmInterceptor implements Interceptor {
  static final LlmInterceptor INSTANCE = new LlmInterceptor();

  /** Adds the interceptor in front of a builder's application interceptors, once. */
  public static void addTo(List<Interceptor> interceptors) {
    try {
      for (Interceptor i : interceptors) if (i instanceof LlmInterceptor) return;
      interceptors.add(0, INSTANCE);
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
    HttpFault fault = exchange.fault();
    Response response;
    try {
      response = fault == null ? chain.proceed(request) : proceedWithFault(chain, request, fault);
    } catch (IOException | RuntimeException | Error e) {
      exchange.failed(e);
      exchange.closeScope();
      throw e;
    }
    try {
      return observe(exchange, response, fault == null ? null : fault.cut());
    } finally {
      exchange.closeScope();
    }
  }

  /**
   * An injected fault as OkHttp itself would show it: a delay, the exceptions its connect and read
   * paths throw, a response the server did not send, or (through {@link #observe}) a body that ends
   * early. The chain below is never called for a fault that replaces the exchange.
   */
  private static Response proceedWithFault(Chain chain, Request request, HttpFault fault) throws IOException {
    InjectedFault.sleep(fault.latencyMillis());
    if (fault.failsToConnect()) throw fault.connectException(request.url().host(), request.url().port());
    if (fault.timesOut()) {
      InjectedFault.sleep(fault.timeoutMillis());
      throw new SocketTimeoutException("timeout (" + "injected by llm-otel fault injection)");
    }
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

  private static Response observe(HttpLlmExchange exchange, Response response, HttpFault.BodyCut cut) {
    try {
      exchange.onResponse(response.code(), response::header);
      ResponseBody body = response.body();
      if (cut != null && body != null) body = new CutResponseBody(body, cut);
      HttpLlmExchange.ResponseTap tap = exchange.tap(response.header("content-type"));
      if (tap == null) return cut == null ? response : response.newBuilder().body(body).build();
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
