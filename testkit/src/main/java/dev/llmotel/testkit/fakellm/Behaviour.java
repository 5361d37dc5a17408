package dev.llmotel.testkit.fakellm;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * What the {@link FakeLlmServer} does with one request. Immutable; build with the static factories.
 *
 * <p>Every behaviour applies to every endpoint of every provider (OpenAI, Anthropic, Gemini, Bedrock: see
 * {@link FakeLlmServer}); the stream-specific ones ({@link #streamCut(int)}, {@link #chunks(int)}) fall back
 * as documented on each factory. A "chunk" is an SSE event (OpenAI, Anthropic, Gemini) or an event-stream
 * message (Bedrock). The answers output validation looks at ({@link #answerText}, {@link #toolArguments},
 * {@link #cutAtTokenLimit()}, {@link #refusal()}, {@link #unsure()}) come in each provider's own shapes, as
 * JSON and streamed alike; embeddings answer normally under them.
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
    HELD,
    ANSWER_TEXT,
    TOOL_ARGUMENTS,
    CUT_AT_TOKEN_LIMIT,
    REFUSAL,
    UNSURE
  }

  private static final Behaviour OK = new Behaviour(Kind.OK, 0, null, 0L, 0);
  private static final Behaviour HANG = new Behaviour(Kind.HANG, 0, null, 0L, 0);
  private static final Behaviour MALFORMED = new Behaviour(Kind.MALFORMED, 0, null, 0L, 0);
  private static final Behaviour WRONG_SHAPE = new Behaviour(Kind.WRONG_SHAPE, 0, null, 0L, 0);
  private static final Behaviour RESET = new Behaviour(Kind.RESET_CONNECTION, 0, null, 0L, 0);
  private static final Behaviour INVALID_UTF8 = new Behaviour(Kind.INVALID_UTF8, 0, null, 0L, 0);
  private static final Behaviour CUT_AT_TOKEN_LIMIT = new Behaviour(Kind.CUT_AT_TOKEN_LIMIT, 0, null, 0L, 0);
  private static final Behaviour REFUSAL = new Behaviour(Kind.REFUSAL, 0, null, 0L, 0);
  private static final Behaviour UNSURE = new Behaviour(Kind.UNSURE, 0, null, 0L, 0);

  private final Kind kind;
  private final int status;
  private final String retryAfter;
  private final long millis;
  private final int count;
  private final CountDownLatch release;
  /** The scripted answer text ({@link #answerText}) or tool-call arguments ({@link #toolArguments}). */
  private final String text;

  private Behaviour(Kind kind, int status, String retryAfter, long millis, int count) {
    this(kind, status, retryAfter, millis, count, null, null);
  }

  private Behaviour(Kind kind, String text) {
    this(kind, 0, null, 0L, 0, null, text);
  }

  private Behaviour(
      Kind kind, int status, String retryAfter, long millis, int count, CountDownLatch release, String text) {
    this.kind = kind;
    this.status = status;
    this.retryAfter = retryAfter;
    this.millis = millis;
    this.count = count;
    this.release = release;
    this.text = text;
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
    return new Behaviour(Kind.HELD, 0, null, 0L, 0, release, null);
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
   * the normal answer's words repeated cyclically (or cut): a structured answer's JSON words too, so it is
   * no longer JSON. Non-stream requests get the same text in one message. Tool-call answers are not
   * affected.
   */
  public static Behaviour chunks(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("chunk count must be >= 1: " + n);
    }
    return new Behaviour(Kind.CHUNKS, 0, null, 0L, n);
  }

  /**
   * An answer whose text is exactly {@code text}, whatever the request declared (for JSON in the wrong
   * structure, or text that is not JSON) and even if it offers tools, with the normal finish reason: chat
   * {@code stop}, Responses {@code completed}, Anthropic {@code end_turn}, Gemini {@code STOP}, Bedrock
   * {@code end_turn} (a {@code maxTokens} / {@code maxOutputTokens} limit does not cut it). Streams split it
   * into words like the normal answer; the output tokens are its words. Embeddings answer normally.
   */
  public static Behaviour answerText(String text) {
    if (text == null) {
      throw new IllegalArgumentException("answer text is null");
    }
    return new Behaviour(Kind.ANSWER_TEXT, text);
  }

  /**
   * A judge's verdict (see {@link FakeLlmServer#scriptJudge}): the answer text is the JSON object {@code
   * {"score", "label", "explanation"}} of llm-otel's evaluation schema; label and explanation are written as
   * given (no escaping: keep them plain).
   */
  public static Behaviour verdict(double score, String label, String explanation) {
    return answerText("{\"score\": " + score + ", \"label\": \"" + label + "\", \"explanation\": \"" + explanation + "\"}");
  }

  /**
   * When the normal answer is a tool call (the request offers tools, see {@link FakeLlmServer}), its
   * arguments are exactly {@code argumentsJson}: the string as it is for OpenAI chat and Responses (whose
   * {@code arguments} are text, so it need not even be JSON), the parsed value as Anthropic {@code input},
   * Gemini {@code args} and Bedrock {@code input}, which are JSON values; there text that does not parse
   * gets a 400 in the provider's error format naming this behaviour. The output tokens are its words + 1,
   * as for any call. A request that gets a text answer gets the normal one.
   */
  public static Behaviour toolArguments(String argumentsJson) {
    if (argumentsJson == null) {
      throw new IllegalArgumentException("tool arguments are null");
    }
    return new Behaviour(Kind.TOOL_ARGUMENTS, argumentsJson);
  }

  /**
   * The normal answer (a structured answer too) cut in the middle, after half its characters (trailing
   * whitespace dropped), ending with the provider's token-limit reason: chat {@code finish_reason: length};
   * Responses {@code status: incomplete} with {@code incomplete_details: {reason: max_output_tokens}} (the
   * item's status {@code incomplete} too, and a stream ending with {@code response.incomplete}); Anthropic
   * {@code stop_reason: max_tokens}; Gemini {@code finishReason: MAX_TOKENS}; Bedrock {@code stopReason:
   * max_tokens}. A tool call's arguments are cut instead: as text where the format carries text (OpenAI,
   * and the Anthropic and Bedrock stream fragments), as {@code {}} where it carries an object (Anthropic and
   * Bedrock JSON bodies, Gemini). The output tokens are the words of what is left (+ 1 for a call).
   */
  public static Behaviour cutAtTokenLimit() {
    return CUT_AT_TOKEN_LIMIT;
  }

  /**
   * The model declines, in each provider's refusal shape, with the text {@code "I'm sorry, I can't help
   * with that."} where the format has one: chat {@code message.content: null}, {@code message.refusal:
   * <text>}, {@code finish_reason: stop} (streamed as {@code delta.refusal} pieces, one word each);
   * Responses a message whose content is {@code {type: refusal, refusal: <text>}} (streamed as {@code
   * response.refusal.delta} and {@code response.refusal.done} events), status {@code completed}; Anthropic
   * {@code stop_reason: refusal} with the text as its only text block; Gemini a candidate with {@code
   * finishReason: SAFETY}, {@code safetyRatings} (dangerous content {@code HIGH}, {@code blocked}) and no
   * content; Bedrock Converse {@code stopReason: content_filtered} and an empty content (a stream without
   * content block events). The output tokens are the words of the text sent (7, or 0 for Gemini and Bedrock
   * Converse). Also for requests that offer tools or declare a structure.
   */
  public static Behaviour refusal() {
    return REFUSAL;
  }

  /**
   * The normal answer, but each token's log-probability is -1.5 instead of -0.05 (a mean token probability
   * of about 0.22 instead of 0.95). The server sends log-probabilities only where asked: OpenAI chat with
   * {@code "logprobs": true} ({@code choices[].logprobs.content}, one entry per word piece of the answer, in
   * streams on the chunk of that piece) and Responses with {@code "message.output_text.logprobs"} in {@code
   * include} (the {@code output_text} part's {@code logprobs}, and each {@code response.output_text.delta}'s).
   * Otherwise this is {@link #ok()}.
   */
  public static Behaviour unsure() {
    return UNSURE;
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

  String text() {
    return text;
  }

  /** Whether this behaviour replaces or changes the normal answer's content or its ending. */
  boolean shapesAnswer() {
    return kind == Kind.ANSWER_TEXT
        || kind == Kind.TOOL_ARGUMENTS
        || kind == Kind.CUT_AT_TOKEN_LIMIT
        || kind == Kind.REFUSAL;
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
        && Objects.equals(retryAfter, b.retryAfter)
        && Objects.equals(text, b.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, status, retryAfter, millis, count, release, text);
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
      case ANSWER_TEXT:
        return "answerText(" + OpenAiWire.json(OpenAiWire.NODES.textNode(text)) + ")";
      case TOOL_ARGUMENTS:
        return "toolArguments(" + OpenAiWire.json(OpenAiWire.NODES.textNode(text)) + ")";
      case CUT_AT_TOKEN_LIMIT:
        return "cutAtTokenLimit()";
      default:
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "()";
    }
  }
}
