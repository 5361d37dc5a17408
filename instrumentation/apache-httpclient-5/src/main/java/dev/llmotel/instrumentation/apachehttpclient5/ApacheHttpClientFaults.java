package dev.llmotel.instrumentation.apachehttpclient5;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.SkippedCall;
import dev.llmotel.core.http.HttpFault;
import dev.llmotel.core.http.HttpLlmExchange;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Map;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * Injected faults and replayed answers as Apache HttpClient 5's classic client itself shows them:
 * what the advice on its connect step calls, once per attempt below the client's own retries, with
 * the exchange of the execute running on this thread ({@link ApacheHttpClientCalls}): its
 * {@code HttpHostConnectException}, a read timeout, a response the server did not send, or (through
 * the tapped entity) a body that ends with its {@code ConnectionClosedException}.
 */
public final class ApacheHttpClientFaults {
  /**
   * Before one attempt reaches the connection (the client's connect step, below its own retries):
   * the injected fault's latency is slept, and a fault that replaces the attempt skips it; null
   * lets the attempt go to the network.
   */
  public static Object beforeAttempt(Object execScope) {
    HttpLlmExchange exchange = ApacheHttpClientCalls.active();
    if (exchange == null) return null;
    try {
      Object target = execScope instanceof ExecChain.Scope ? ((ExecChain.Scope) execScope).route.getTargetHost()
          : "the server";
      HttpFault fault = exchange.attemptFault();
      if (fault == null) return null;
      IOException failure = fault.failureAfterWaiting(() -> new HttpHostConnectException("Connect to " + target
          + " failed: Connection refused (" + HttpFault.MARK + ")"),
          () -> new SocketTimeoutException("Read timed out (" + HttpFault.MARK + ")"));
      if (failure != null) return new FaultedAttempt(null, failure);
      HttpFault.Response made = fault.response();
      return made == null ? null : new FaultedAttempt(response(made), null);
    } catch (Throwable t) {
      SafeHooks.failed("apache httpclient fault injection", t);
      return null;
    }
  }

  /** What a skipped attempt returns: the response fault injection (or replay) made, else the method's own. */
  public static Object attemptResponse(Object state, Object response) {
    return state instanceof FaultedAttempt ? ((FaultedAttempt) state).response : response;
  }

  /** What a skipped attempt throws: the client's own exception for the fault, else the method's own. */
  public static Throwable attemptFailure(Object state, Throwable error) {
    return state instanceof FaultedAttempt ? ((FaultedAttempt) state).failure : error;
  }

  /** An attempt that fault injection or replay answers in the client's place. */
  public static final class FaultedAttempt extends SkippedCall {
    final ClassicHttpResponse response;
    final IOException failure;

    FaultedAttempt(ClassicHttpResponse response, IOException failure) {
      this.response = response;
      this.failure = failure;
    }
  }

  private static ClassicHttpResponse response(HttpFault.Response made) {
    BasicClassicHttpResponse response = new BasicClassicHttpResponse(made.status, made.reason);
    for (Map.Entry<String, String> h : made.headers.entrySet()) response.addHeader(h.getKey(), h.getValue());
    String type = made.headers.get("content-type");
    response.setEntity(new ByteArrayEntity(made.body, type == null ? null : ContentType.parse(type)));
    return response;
  }

  /** What the classic client throws when a connection drops in the middle of a body of that framing. */
  static IOException prematureEnd(long contentLength) {
    return new ConnectionClosedException(HttpFault.prematureEndMessage(contentLength));
  }

  private ApacheHttpClientFaults() {}
}
