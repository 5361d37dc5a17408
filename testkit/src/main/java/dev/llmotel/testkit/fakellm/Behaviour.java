package dev.llmotel.testkit.fakellm;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What the {@link FakeLlmServer} does with one request. Immutable; build with the static factories.
 *
 * <p>Every behaviour applies to every endpoint of every provider (OpenAI, Anthropic, Gemini, Bedrock: see
 * {@link FakeLlmServer}); the stream-specific ones ({@link #streamCut(int)}, {@link #chunks(int)}) fall back
 * as documented on each factory. A "chunk" is an SSE event (OpenAI, Anthropic, Gemini) or an event-stream
 * message (Bedrock).
 */
public final class Behaviour {

  enum Kind {
    OK,
    ERROR,
    DELAY,
    HANG,
    MALFORMED,
    WRONG_SHAPE,
    STREAM_CUT,
    RESET_CONNECTION,
    CHUNKS,
    INVALID_UTF8,
    HELD
  }

  private static final Behaviour OK = new Behaviour(Kind.OK, 0, null, 0L, 0);
  private static final Behaviour HANG = new Behaviour(Kind.HANG, 0, null, 0L, 0);
  private static final Behaviour MALFORMED = new Behaviour(Kind.MALFORMED, 0, null, 0L, 0);
  private static final Behaviour WRONG_SHAPE = new Behaviour(Kind.WRONG_SHAPE, 0, null, 0L, 0);
  private static final Behaviour RESET = new Behaviour(Kind.RESET_CONNECTION, 0, null, 0L, 0);
  private static final Behaviour INVALID_UTF8 = new Behaviour(Kind.INVALID_UTF8, 0, null, 0L, 0);

  private final Kind kind;
  private final int status;
  private final String retryAfter;
  private final long millis;
  private final int count;
  private final CountDownLatch release;

  private Behaviour(Kind kind, int status, String retryAfter, long millis, int count) {
    this(kind, status, retryAfter, millis, count, null);
  }

  private Behaviour(Kind kind, int status, String retryAfter, long millis, int count, CountDownLatch release) {
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
    this.millis = millis;
    this.count = count;
    this.release = release;
  }

  /** The normal, successful answer. */
  public static Behaviour ok() {
    return OK;
  }

  /**
   * An HTTP error with the provider's error body for that status (e.g. OpenAI 429 {@code
   * rate_limit_exceeded}, Gemini 429 {@code RESOURCE_EXHAUSTED}, Bedrock 429 {@code ThrottlingException}).
   */
  public static Behaviour error(int status) {
    return error(status, null);
  }

  /**
   * An HTTP error with the provider's error body for that status and, when {@code retryAfter} is non-null, a
   * {@code retry-after} header with that value (seconds, e.g. {@code "1"}; Gemini errors also get a {@code
   * google.rpc.RetryInfo} detail with that delay).
   */
  public static Behaviour error(int status, String retryAfter) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("error status must be 4xx or 5xx: " + status);
    }
    return new Behaviour(Kind.ERROR, status, retryAfter, 0L, 0);
  }

  /** The normal answer, sent after waiting {@code millis} (before any response byte). */
  public static Behaviour delay(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("negative delay: " + millis);
    }
    return new Behaviour(Kind.DELAY, 0, null, millis, 0);
  }

  /**
   * The normal answer, sent once {@code release} has counted down (before any response byte): the test
   * decides when calls in flight end, e.g. only after every concurrent caller has been admitted or refused,
   * however slow the machine. Held at most 10 minutes, like {@link #hang()}; the connection is dropped if the
   * server is closed or {@link FakeLlmServer#reset() reset} first.
   */
  public static Behaviour heldUntil(CountDownLatch release) {
    if (release == null) {
      throw new IllegalArgumentException("release latch is null");
    }
    return new Behaviour(Kind.HELD, 0, null, 0L, 0, release);
  }

  /**
   * Never answers: no status line, no headers. The request is released (its connection dropped) when the
   * server is closed or {@link FakeLlmServer#reset() reset}; the handler thread parks without busy-waiting.
   * The JDK HTTP server gives handlers no way to notice a client that gave up (e.g. its read timeout), so
   * such a request stays parked until then, at most 10 minutes; it never blocks other requests.
   */
  public static Behaviour hang() {
    return HANG;
  }

  /**
   * HTTP 200, {@code content-type: application/json}, a body that is not valid JSON (a truncated chat
   * completion), whether or not a stream was requested, for every provider (a Bedrock event-stream
   * client then fails on the first message prelude).
   */
  public static Behaviour malformed() {
    return MALFORMED;
  }

  /**
   * HTTP 200 with valid JSON of the wrong shape: {@code {"unexpected": true}}, for every provider (the
   * Gemini and Bedrock SDKs ignore unknown fields, so they see a response with no candidates / no output).
   */
  public static Behaviour wrongShape() {
    return WRONG_SHAPE;
  }

  /**
   * For stream requests: status 200 and {@code afterChunks} SSE events or event-stream messages (the chat
   * role chunk, the Responses {@code response.created} event and Bedrock's {@code messageStart} count), then
   * the connection is dropped: no terminating chunk, no {@code [DONE]}. For non-stream requests it behaves
   * like {@link #malformed()}.
   */
  public static Behaviour streamCut(int afterChunks) {
    if (afterChunks < 0) {
      throw new IllegalArgumentException("negative chunk count: " + afterChunks);
    }
    return new Behaviour(Kind.STREAM_CUT, 0, null, 0L, afterChunks);
  }

  /**
   * The normal answer (JSON or stream), declared UTF-8, but the first {@code "content":"} string (OpenAI,
   * Anthropic) or {@code "text":"} string (Gemini, Bedrock) of the body (of the first stream event that has
   * one) starts with bytes that are not UTF-8: {@code C3 28 FF FE}. The JSON structure stays intact; in
   * Bedrock event streams the corrupted payload is framed with valid checksums (for
   * invoke-with-response-stream, inside the base64 {@code bytes}).
   */
  public static Behaviour invalidUtf8() {
    return INVALID_UTF8;
  }

  /** Drops the connection without sending any response byte. */
  public static Behaviour resetConnection() {
    return RESET;
  }

  /**
   * The normal answer, but its text has exactly {@code n} words, so a stream carries exactly {@code n}
   * content chunks (chat, Gemini), {@code n} {@code response.output_text.delta} events (Responses) or {@code
   * n} {@code contentBlockDelta} events (Bedrock Converse). The words are
   * the normal answer's words repeated cyclically (or cut). Non-stream requests get the same text in one
   * message. Tool-call answers are not affected.
   */
  public static Behaviour chunks(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("chunk count must be >= 1: " + n);
    }
    return new Behaviour(Kind.CHUNKS, 0, null, 0L, n);
  }

  Kind kind() {
    return kind;
  }

  int status() {
    return status;
  }

  String retryAfter() {
    return retryAfter;
  }

  long millis() {
    return millis;
  }

  int count() {
    return count;
  }

  CountDownLatch release() {
    return release;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Behaviour)) {
      return false;
    }
    Behaviour b = (Behaviour) o;
    return kind == b.kind
        && status == b.status
        && millis == b.millis
        && count == b.count
        && release == b.release
        && Objects.equals(retryAfter, b.retryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, status, retryAfter, millis, count, release);
  }

  @Override
  public String toString() {
    switch (kind) {
      case ERROR:
        return "error(" + status + (retryAfter == null ? "" : ", \"" + retryAfter + "\"") + ")";
      case DELAY:
        return "delay(" + millis + ")";
      case STREAM_CUT:
        return "streamCut(" + count + ")";
      case CHUNKS:
        return "chunks(" + count + ")";
      case HELD:
        return "heldUntil(" + release + ")";
      case WRONG_SHAPE:
        return "wrongShape()";
      case RESET_CONNECTION:
        return "resetConnection()";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "()";
    }
  }
}
