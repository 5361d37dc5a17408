package dev.llmotel.instrumentation.apachehttpclient5;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.http.HttpLlmExchange;
import dev.llmotel.core.http.ResponseTap;
import io.opentelemetry.instrumentation.api.internal.cache.Cache;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * What the advice on Apache HttpClient 5's classic client calls: a request to a known LLM endpoint
 * becomes an {@link HttpLlmExchange}; the response's entity is replaced by one that shows the tap
 * the bytes the app reads; each attempt's injected fault is applied by {@link ApacheHttpClientFaults}.
 * Every method is safe: a failure of ours is logged once and the app's call goes on untouched.
 */
public final class ApacheHttpClientCalls {
  /** The tap of each response the app has not closed yet, to end the span when it closes it unread. */
  private static final Cache<Object, ResponseTap> OPEN = Cache.weak();
  /**
   * The exchange of the outermost execute running on this thread: execute overloads call one
   * another and then doExecute, which has the response; the span belongs to the outermost execute
   * (so it is the parent of the agent's HTTP span), the response's entity is tapped at doExecute.
   */
  private static final ThreadLocal<HttpLlmExchange> ACTIVE = new ThreadLocal<>();

  /** Before an execute overload: null when an outer execute owns the call or it is not an LLM call. */
  public static Object startExecute(Object[] args) {
    if (ACTIVE.get() != null) return null;
    Object target = null;
    Object request = null;
    for (Object arg : args) {
      if (target == null && arg instanceof HttpHost) target = arg;
      if (request == null && arg instanceof ClassicHttpRequest) request = arg;
    }
    Object state = start(target, request);
    if (state instanceof HttpLlmExchange) ACTIVE.set((HttpLlmExchange) state);
    return state;
  }

  /** After the outermost execute: a failure ends the span (a read body ends it itself); the scope closes. */
  public static void endExecute(Object state, Throwable error) {
    if (!(state instanceof HttpLlmExchange)) return;
    HttpLlmExchange exchange = (HttpLlmExchange) state;
    ACTIVE.remove();
    if (error != null) exchange.failed(error);
    exchange.closeScope();
  }

  /** The exchange of the outermost execute running on this thread, or null. */
  static HttpLlmExchange active() {
    return ACTIVE.get();
  }

  /** After doExecute: the response of the execute's exchange is observed. */
  public static void attach(Object response) {
    HttpLlmExchange exchange = ACTIVE.get();
    if (exchange != null && response instanceof ClassicHttpResponse) observe(exchange, (ClassicHttpResponse) response);
  }

  /** The exchange, a refusal, or null when the request is not an LLM call. */
  static Object start(Object target, Object request) {
    try {
      if (!(request instanceof ClassicHttpRequest)) return null;
      ClassicHttpRequest r = (ClassicHttpRequest) request;
      if (!HttpLlmExchange.mayAct(r.getMethod())) return null;
      URI uri = uri(target, r);
      if (uri == null) return null;
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      HttpLlmExchange exchange = HttpLlmExchange.start(ApacheHttpClientTelemetry.INSTRUMENTER, r.getMethod(),
          uri.toString(), uri.getHost(), port, uri.getRawPath(), () -> requestBytes(r.getEntity()));
      if (exchange == null) return null;
      PolicyDecision refusal = exchange.refusal();
      if (refusal == null) return exchange;
      // What the client throws when a call cannot be made: an IOException, naming the policy.
      IOException refused = new IOException(refusal.exceptionMessage());
      exchange.refused(refused);
      return new CallRefusal(refused);
    } catch (Throwable t) {
      SafeHooks.failed("apache httpclient request", t);
      return null;
    }
  }

  /** The request's absolute URI: its own, or its path on the target host the app gave. */
  private static URI uri(Object target, ClassicHttpRequest request) throws Exception {
    URI uri = request.getUri();
    if (uri.isAbsolute() || !(target instanceof HttpHost)) return uri.isAbsolute() ? uri : null;
    HttpHost host = (HttpHost) target;
    return new URI(host.getSchemeName(), null, host.getHostName(), host.getPort(), uri.getRawPath(), null, null);
  }

  /** A repeatable entity (a string or byte array) is written once more; others are the client's to send once. */
  static byte[] requestBytes(HttpEntity entity) throws IOException {
    if (entity == null || !entity.isRepeatable()) return null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    entity.writeTo(out);
    return out.toByteArray();
  }

  private static void observe(HttpLlmExchange exchange, ClassicHttpResponse r) {
    try {
      HttpEntity entity = r.getEntity();
      HttpLlmExchange.AttemptBody body = exchange.attemptBody(r.getCode(), name -> {
        if (entity != null && "content-type".equalsIgnoreCase(name)) return entity.getContentType();
        Header h = r.getFirstHeader(name);
        return h == null ? null : h.getValue();
      }, exchange.fault());
      if (entity == null) {
        if (body.tap != null) body.tap.closed();
        return;
      }
      if (!body.observed()) return;
      r.setEntity(new TappedEntity(entity, body));
      if (body.tap != null) OPEN.put(r, body.tap);
    } catch (Throwable t) {
      SafeHooks.failed("apache httpclient response", t);
    }
  }

  /** The app closed the response (read or not): the span ends if reading the body had not ended it. */
  public static void closed(Object response) {
    try {
      ResponseTap tap = OPEN.get(response);
      if (tap != null) {
        OPEN.remove(response);
        tap.closed();
      }
    } catch (Throwable t) {
      SafeHooks.failed("apache httpclient close", t);
    }
  }

  /**
   * The response's entity, whose content the app reads through the tap (null when an outer span
   * owns the call), ending early at an injected cut if there is one.
   */
  static final class TappedEntity extends HttpEntityWrapper {
    private final HttpLlmExchange.AttemptBody body;
    private InputStream content;

    TappedEntity(HttpEntity wrapped, HttpLlmExchange.AttemptBody body) {
      super(wrapped);
      this.body = body;
    }

    @Override
    public synchronized InputStream getContent() throws IOException {
      if (content == null || super.isRepeatable()) {
        long length = super.getContentLength();
        content = body.wrap(super.getContent(), () -> ApacheHttpClientFaults.prematureEnd(length));
      }
      return content;
    }

    /** Written through the tapped content, so what the client writes out is seen too. */
    @Override
    public void writeTo(OutputStream out) throws IOException {
      InputStream in = getContent();
      if (in == null) return;
      try (InputStream s = in) {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = s.read(buffer)) != -1) out.write(buffer, 0, n);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        if (body.tap != null) body.tap.closed();
      }
    }
  }

  private ApacheHttpClientCalls() {}
}
