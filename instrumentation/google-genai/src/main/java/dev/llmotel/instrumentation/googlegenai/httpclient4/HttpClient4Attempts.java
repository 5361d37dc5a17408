package dev.llmotel.instrumentation.googlegenai.httpclient4;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.SkippedCall;
import dev.llmotel.core.http.HttpFault;
import dev.llmotel.core.http.HttpLlmExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.apache.http.ConnectionClosedException;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.HttpVersion;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.conn.HttpHostConnectException;
import org.apache.http.conn.routing.HttpRoute;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.HttpEntityWrapper;
import org.apache.http.message.BasicHttpResponse;
import org.apache.http.message.BasicStatusLine;

/**
 * Fault injection and record/replay for the Google GenAI 1.x releases, which send with Apache
 * HttpClient 4: one attempt at a time, where the client's main step would open the connection
 * (below its own retry step). An injected fault is what HttpClient 4 itself would give the SDK: its
 * connect exception, a read timeout, a response the server did not send, or a body that breaks,
 * so the SDK raises its own exception for it. Nothing happens outside a Google GenAI call.
 */
public final class HttpClient4Attempts {
  /** The attempt's exchange and fault, when the network is still used (the fault may cut the body). */
  public static class Attempt {
    final HttpLlmExchange exchange;
    final HttpFault fault;

    Attempt(HttpLlmExchange exchange, HttpFault fault) {
      this.exchange = exchange;
      this.fault = fault;
    }
  }

  /** An attempt fault injection or replay answers in the client's place: the main step is skipped. */
  public static final class Answered extends SkippedCall {
    final Attempt attempt;
    final CloseableHttpResponse response;
    final IOException failure;

    Answered(Attempt attempt, CloseableHttpResponse response, IOException failure) {
      this.attempt = attempt;
      this.response = response;
      this.failure = failure;
    }
  }

  /** Before the main step: null when this is not an attempt of an LLM call (or neither feature is on). */
  public static Object before(Object route, Object request) {
    try {
      if (!HttpLlmExchange.sdkAttemptsObserved() || !(route instanceof HttpRoute)
          || !(request instanceof HttpRequestWrapper) || !"POST".equals(((HttpRequestWrapper) request).getMethod())) {
        return null;
      }
      HttpHost target = ((HttpRoute) route).getTargetHost();
      HttpRequestWrapper r = (HttpRequestWrapper) request;
      int port = target.getPort() > 0 ? target.getPort() : "https".equalsIgnoreCase(target.getSchemeName()) ? 443 : 80;
      HttpLlmExchange exchange = HttpLlmExchange.underCall(target.getHostName(), port, r.getURI().getRawPath(),
          () -> body(r));
      if (exchange == null) return null;
      HttpFault fault = exchange.attemptFault();
      Attempt attempt = new Attempt(exchange, fault);
      if (fault == null) return attempt;
      IOException failure = fault.failureAfterWaiting(() -> new HttpHostConnectException(
          new ConnectException("Connection refused (" + HttpFault.MARK + ")"), target),
          () -> new SocketTimeoutException("Read timed out (" + HttpFault.MARK + ")"));
      if (failure != null) return new Answered(attempt, null, failure);
      HttpFault.Response made = fault.response();
      return made == null ? attempt : new Answered(attempt, new MadeResponse(made), null);
    } catch (Throwable t) {
      SafeHooks.failed("httpclient 4 attempt", t);
      return null;
    }
  }

  /** What the main step returns: the answered response, or the network's, observed. */
  public static Object response(Object state, Object response) {
    if (state instanceof Answered) response = ((Answered) state).response;
    Attempt attempt = attemptOf(state);
    if (attempt == null || !(response instanceof HttpResponse)) return response;
    try {
      HttpResponse r = (HttpResponse) response;
      HttpEntity entity = r.getEntity();
      HttpLlmExchange.AttemptBody body = attempt.exchange.attemptBody(r.getStatusLine().getStatusCode(), name -> {
        Header h = "content-type".equalsIgnoreCase(name) && entity != null ? entity.getContentType() : r.getFirstHeader(name);
        return h == null ? null : h.getValue();
      }, attempt.fault);
      if (entity == null) {
        if (body.tap != null) body.tap.closed();
      } else if (body.observed()) {
        r.setEntity(new ObservedEntity(entity, body));
      }
    } catch (Throwable t) {
      SafeHooks.failed("httpclient 4 response", t);
    }
    return response;
  }

  /** What the main step throws: an answered attempt's exception, else its own (recorded). */
  public static Throwable failure(Object state, Throwable error) {
    Throwable thrown = state instanceof Answered && ((Answered) state).failure != null ? ((Answered) state).failure : error;
    Attempt attempt = attemptOf(state);
    if (attempt != null && thrown != null) {
      try {
        attempt.exchange.failed(thrown);
      } catch (Throwable t) {
        SafeHooks.failed("httpclient 4 failure", t);
      }
    }
    return thrown;
  }

  private static Attempt attemptOf(Object state) {
    if (state instanceof Answered) return ((Answered) state).attempt;
    return state instanceof Attempt ? (Attempt) state : null;
  }

  private static byte[] body(HttpRequestWrapper request) throws IOException {
    Object original = request.getOriginal();
    if (!(original instanceof HttpEntityEnclosingRequest)) return null;
    HttpEntity entity = ((HttpEntityEnclosingRequest) original).getEntity();
    if (entity == null || !entity.isRepeatable()) return null;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    entity.writeTo(out);
    return out.toByteArray();
  }

  /** A response fault injection made or replay played back; closing it releases nothing. */
  static final class MadeResponse extends BasicHttpResponse implements CloseableHttpResponse {
    MadeResponse(HttpFault.Response made) {
      super(new BasicStatusLine(HttpVersion.HTTP_1_1, made.status, made.reason));
      for (Map.Entry<String, String> h : made.headers.entrySet()) addHeader(h.getKey(), h.getValue());
      String type = made.headers.get("content-type");
      setEntity(new ByteArrayEntity(made.body, type == null ? null : ContentType.parse(type)));
    }

    @Override
    public void close() {}
  }

  /** The response's entity read through the record's tap, ending early at an injected cut. */
  static final class ObservedEntity extends HttpEntityWrapper {
    private final HttpLlmExchange.AttemptBody body;
    private InputStream content;

    ObservedEntity(HttpEntity wrapped, HttpLlmExchange.AttemptBody body) {
      super(wrapped);
      this.body = body;
    }

    @Override
    public synchronized InputStream getContent() throws IOException {
      if (content == null || wrappedEntity.isRepeatable()) {
        long length = wrappedEntity.getContentLength();
        content = body.wrap(wrappedEntity.getContent(), () -> prematureEnd(length));
      }
      return content;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      try (InputStream in = getContent()) {
        if (in == null) return;
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) out.write(buffer, 0, n);
      }
    }

    @Override
    public boolean isStreaming() {
      return true;
    }
  }

  /** What HttpClient 4 throws when a connection drops in the middle of a body of that framing. */
  static IOException prematureEnd(long contentLength) {
    return new ConnectionClosedException(HttpFault.prematureEndMessage(contentLength));
  }

  private HttpClient4Attempts() {}
}
