package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.http.HttpFault;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Injected faults and replayed answers as OkHttp itself shows them, at the last application
 * interceptor (installed by {@link OkHttpCalls#addTo}): each attempt the interceptors above send
 * down gets its injected fault (drawn anew per attempt) or its replayed answer here.
 */
public final class OkHttpFaults implements Interceptor {
  static final OkHttpFaults INSTANCE = new OkHttpFaults();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    OkHttpCalls.InFlight call = OkHttpCalls.inFlight();
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

  /**
   * An injected fault as OkHttp itself would show it: a delay, the exceptions its connect and read
   * paths throw, a response the server did not send, or (by the caller) a body that ends early. The
   * chain below is never called for a fault that replaces the exchange.
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

  private OkHttpFaults() {}
}
