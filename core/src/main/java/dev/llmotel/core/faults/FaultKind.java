package dev.llmotel.core.faults;

import java.util.Locale;

/** The faults llm-otel can put into an LLM call; the name is the config value and the span attribute value. */
public enum FaultKind {
  /** A 429 with {@code retry-after}, in the provider's error body. */
  HTTP_429(429),
  HTTP_500(500),
  HTTP_503(503),
  /** The connection cannot be made: the client's connect exception, nothing sent. */
  CONNECTION_FAILURE(0),
  /** No answer: the client's timeout exception, after the configured wait. */
  TIMEOUT(0),
  /** The real call, later: added before the request is sent. Combines with every other kind. */
  LATENCY(0),
  /** A 200 whose JSON body is broken. */
  MALFORMED_RESPONSE(200),
  /** The real response, whose body ends with an I/O error after a few bytes. */
  TRUNCATED_RESPONSE(0),
  /** The real stream, cut with an I/O error after a number of events. */
  STREAM_CUT(0),
  /** A 200 whose answer asks for a tool the app does not have. */
  UNKNOWN_TOOL_CALL(200);

  /** The status of the response this fault answers with instead of the server's; 0 when it does not. */
  public final int status;

  FaultKind(int status) {
    this.status = status;
  }

  /**
   * Whether the kind means something for any HTTP request (http_faults), not only for an LLM call's
   * wire format: not a stream cut by events, nor an answer asking for a tool.
   */
  boolean appliesToAnyRequest() {
    return this != STREAM_CUT && this != UNKNOWN_TOOL_CALL;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FaultKind parse(String name) {
    return name == null ? null : valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
