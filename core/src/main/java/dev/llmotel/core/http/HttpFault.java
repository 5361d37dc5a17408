package dev.llmotel.core.http;

import dev.llmotel.core.faults.FaultKind;
import dev.llmotel.core.faults.InjectedFault;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An injected fault as a plain HTTP client module applies it, so that the library above (an SDK, a
 * framework, the app) meets exactly what a real fault of that kind gives it: a response the server
 * did not send (status, headers and the provider's own error body), the client's exception for a
 * connection that fails or a read that times out, or the real body ending early with an I/O error.
 */
public final class HttpFault {
  public static final String MARK = "injected by llm-otel fault injection";
  private final long latencyMillis;
  private final boolean failsToConnect;
  private final long timeoutMillis; // -1: no timeout
  private final Response response;
  private final long cutAfterBytes;
  private final int cutAfterChunks;
  private final String connectMessage;

  private HttpFault(long latencyMillis, boolean failsToConnect, long timeoutMillis, Response response,
      long cutAfterBytes, int cutAfterChunks, String connectMessage) {
    this.latencyMillis = latencyMillis;
    this.failsToConnect = failsToConnect;
    this.timeoutMillis = timeoutMillis;
    this.response = response;
    this.cutAfterBytes = cutAfterBytes;
    this.cutAfterChunks = cutAfterChunks;
    this.connectMessage = connectMessage;
  }

  /** An injected fault, in the request's wire format (null: a request that is no LLM call). */
  static HttpFault injected(InjectedFault fault, WireFormat format, String model) {
    FaultKind kind = fault.kind;
    return new HttpFault(fault.latencyMillis, kind == FaultKind.CONNECTION_FAILURE,
        kind == FaultKind.TIMEOUT ? fault.timeoutMillis() : -1, made(fault, format, model),
        kind == FaultKind.TRUNCATED_RESPONSE ? fault.afterBytes() : -1,
        kind == FaultKind.STREAM_CUT ? fault.afterChunks() : -1, MARK);
  }

  /**
   * An injected fault in an HTTP request that is no LLM call (http_faults): an error response has a
   * small JSON body naming the drill, a malformed one a JSON body that breaks off; the rest is as
   * for an LLM call.
   */
  static HttpFault injectedIntoRequest(InjectedFault fault) {
    return injected(fault, null, null);
  }

  /**
   * A recorded interaction played back (replay mode): its response, and where its body broke if
   * it did; a recorded failure before any response is a connection that fails.
   */
  static HttpFault replayed(Response recorded, long brokenAfterBytes, String why) {
    return new HttpFault(0, recorded == null, -1, recorded, brokenAfterBytes, -1, why);
  }

  /** Milliseconds to wait before sending (LATENCY); 0 for none. */
  public long latencyMillis() {
    return latencyMillis;
  }

  /** The request is never sent: the client fails to connect (its connect exception). */
  public boolean failsToConnect() {
    return failsToConnect;
  }

  /** The request gets no answer: after {@link #timeoutMillis} the client throws its timeout exception. */
  public boolean timesOut() {
    return timeoutMillis >= 0;
  }

  public long timeoutMillis() {
    return Math.max(0, timeoutMillis);
  }

  /**
   * For a blocking client, before the attempt: waits the injected latency (and a timeout's time),
   * then gives the client's own exception for a fault that fails the attempt before any response.
   * Null when the attempt gets a response (made, replayed or the real one).
   */
  public IOException failureAfterWaiting(Supplier<IOException> connectFailed, Supplier<IOException> readTimedOut) {
    InjectedFault.sleep(latencyMillis);
    if (timesOut()) InjectedFault.sleep(timeoutMillis());
    return failure(connectFailed, readTimedOut);
  }

  /** The client's own exception for a fault that fails the attempt before any response (no waiting), or null. */
  public IOException failure(Supplier<IOException> connectFailed, Supplier<IOException> readTimedOut) {
    if (failsToConnect) return connectFailed.get();
    if (timesOut()) return readTimedOut.get();
    return null;
  }

  /** What a client throws when it cannot connect (OkHttp and the JDK's client alike). */
  public IOException connectException(String host, int port) {
    return new ConnectException("Failed to connect to " + host + ":" + port + " (" + connectMessage + ")");
  }

  /**
   * The message Apache HttpClient (4 and 5) gives when a connection drops in the middle of a body
   * of that framing (a content length, else chunked), marked as injected.
   */
  public static String prematureEndMessage(long contentLength) {
    return (contentLength >= 0
        ? "Premature end of Content-Length delimited message body (expected: " + contentLength + ")"
        : "Premature end of chunk coded message body: closing chunk expected") + " (" + MARK + ")";
  }

  /** The response the client returns instead of sending the request, or null when the real one is read. */
  public Response response() {
    return response;
  }

  private static Response made(InjectedFault fault, WireFormat format, String model) {
    FaultKind kind = fault.kind;
    if (kind == null || kind.status == 0) return null;
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    String body;
    String reason;
    if (kind == FaultKind.MALFORMED_RESPONSE) {
      reason = "OK";
      body = format == null ? "{\"llm_otel_fault\": \"malformed_response\", \"items\": [{\"id\": "
          : "{\"id\":\"llm-otel-fault\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":";
    } else if (kind == FaultKind.UNKNOWN_TOOL_CALL) {
      reason = "OK";
      body = format.toolCallBody(model, fault.tool());
    } else {
      reason = kind.status == 429 ? "Too Many Requests" : kind.status == 503 ? "Service Unavailable"
          : "Internal Server Error";
      if (fault.retryAfter() != null) headers.put("retry-after", fault.retryAfter());
      String message = (kind.status == 429 ? "Rate limit reached" : "The server had an error") + " (" + MARK + ")";
      if (format == null) {
        body = "{\"error\": {\"code\": " + kind.status + ", \"message\": \"" + message + "\"}}";
      } else {
        format.errorHeaders(kind.status, headers);
        body = format.errorBody(kind.status, message);
      }
    }
    return new Response(kind.status, reason, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Where the body ends early (a truncated body, a cut stream, a recorded broken body), or null. */
  public BodyCut cut() {
    return cut(null);
  }

  /**
   * The cut for a body of this content type: a stream cut counts AWS event-stream messages in an
   * {@code application/vnd.amazon.eventstream} body, server-sent events in any other.
   */
  public BodyCut cut(String contentType) {
    if (cutAfterBytes >= 0) return new BodyCut(cutAfterBytes, -1, false);
    if (cutAfterChunks >= 0) return new BodyCut(-1, cutAfterChunks, EventStreamFrames.isEventStream(contentType));
    return null;
  }

  /** A response made up by fault injection, or played back from a recording. */
  public static final class Response {
    public final int status;
    public final String reason;
    public final Map<String, String> headers;
    public final byte[] body;

    public Response(int status, String reason, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.reason = reason;
      this.headers = headers;
      this.body = body;
    }
  }

  /**
   * The point where a body ends early: after a number of bytes, or after a number of events:
   * server-sent events (an empty line ends each) or AWS event-stream messages (each starts with its
   * total length). Feed it each read; it says how many of the bytes may pass.
   */
  public static final class BodyCut {
    private long bytesLeft;
    private int eventsLeft;
    private final boolean framed;
    private int newlines; // consecutive line ends seen, ignoring '\r'
    private int preludeRead; // bytes of the current message's 4-byte total length read
    private long frameLeft; // bytes of the current message after its length
    private boolean reached;

    BodyCut(long bytes, int events, boolean framed) {
      this.bytesLeft = bytes;
      this.eventsLeft = events;
      this.framed = framed;
    }

    /** How many of these bytes the app may still get (less than len once the cut is inside them). */
    public synchronized int allow(byte[] b, int off, int len) {
      if (reached) return 0;
      if (bytesLeft >= 0) {
        int n = (int) Math.min(len, bytesLeft);
        bytesLeft -= n;
        if (bytesLeft == 0) reached = true;
        return n;
      }
      if (framed) return allowFrames(b, off, len);
      for (int i = 0; i < len; i++) {
        byte c = b[off + i];
        if (c == '\r') continue;
        newlines = c == '\n' ? newlines + 1 : 0;
        if (newlines == 2 && --eventsLeft <= 0) {
          reached = true;
          return i + 1;
        }
      }
      return len;
    }

    private int allowFrames(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        if (preludeRead < 4) {
          frameLeft = (frameLeft << 8) | (b[off + i] & 0xff);
          if (++preludeRead == 4) frameLeft -= 4;
        } else {
          frameLeft--;
        }
        if (preludeRead == 4 && frameLeft <= 0) {
          preludeRead = 0;
          frameLeft = 0;
          if (--eventsLeft <= 0) {
            reached = true;
            return i + 1;
          }
        }
      }
      return len;
    }

    /** Whether the body has reached its cut: the next read fails with {@link #failure()}. */
    public synchronized boolean reached() {
      return reached;
    }

    /** What the client throws when a connection drops in the middle of a body. */
    public IOException failure() {
      return new EOFException("unexpected end of stream (" + MARK + ")");
    }
  }
}
