package dev.llmotel.core.http;

import dev.llmotel.core.ErrorTypes;
import dev.llmotel.core.HttpStatusError;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An LLM call this plain-HTTP layer owns (no LLM span is current at the request): it makes the
 * call's span, maps the request from the body it reads before sending and the response from the
 * body as the app reads it ({@link JsonTap}, {@link StreamTap}), records each response as an
 * attempt, and may refuse the call by policy.
 */
final class OwnedCallExchange extends LlmCallExchange {
  private final LlmInstrumenter instrumenter;
  private final Context parent;
  /** The request's body could not be read before sending: the call is traced but never refused or faulted. */
  private final boolean unreadBody;
  private final AtomicBoolean ended = new AtomicBoolean();

  private OwnedCallExchange(LlmInstrumenter instrumenter, LlmEndpoint endpoint, LlmCall call, Context parent,
      Context context, boolean unreadBody) {
    super(endpoint, call, context);
    this.instrumenter = instrumenter;
    this.parent = parent;
    this.unreadBody = unreadBody;
  }

  /**
   * The call of a request to a matching endpoint, its span started under {@code parent}, or null
   * when the body is not that format's request (or tracing is suppressed). {@code bytes} is the
   * request's body, null when it cannot be read before sending.
   */
  static OwnedCallExchange start(LlmInstrumenter instrumenter, LlmEndpoint endpoint, Context parent, String url,
      String path, byte[] bytes) {
    Map<?, ?> body;
    if (bytes != null) {
      body = LlmRequests.parse(endpoint, bytes);
      if (body == null) return null; // not this format's request: not an LLM call
    } else {
      body = Collections.emptyMap(); // cannot be read before sending: traced, unmapped, never refused
    }
    LlmCall call = new LlmCall(endpoint.provider, endpoint.format.operation());
    call.request().server(url);
    try {
      endpoint.format.request(call, body, endpoint.pathModel);
    } catch (Throwable t) {
      SafeHooks.failed("http request mapping", t);
    }
    call.request().streaming(endpoint.format.streamRequested(body, path));
    // An unread body says nothing of the request: no retry of another request is inferred from it
    // (their hashes would all be the same), and the policies may only monitor it (marked before
    // governance runs: the call is still counted against every limit, but never refused).
    if (bytes == null) {
      call.governance().policiesMonitorOnly();
    } else {
      // An answer the output_validation policy rejects fails the read of the body, as a broken body would.
      call.outputReview().failWith(d -> new java.io.IOException(d.exceptionMessage()));
      call.beforeSpanStart(AppRetries.get()::beforeStart);
    }
    Context context = instrumenter.start(parent, call);
    if (context == null) return null;
    OwnedCallExchange exchange = new OwnedCallExchange(instrumenter, endpoint, call, parent, context, bytes == null);
    if (exchange.refusal() == null) {
      exchange.scope = context.makeCurrent();
      exchange.beforeSend(call.provider(), call.request().requestModel(), call.governance(), call.request().streaming(), path, bytes);
    }
    return exchange;
  }

  /** A request this layer could not read may not be an LLM call at all: no drill breaks it. */
  @Override
  boolean mayInjectFaults() {
    return !unreadBody;
  }

  @Override
  public PolicyDecision refusal() {
    return unreadBody ? null : call.governance().refusal();
  }


  /** Each response is an attempt of the call, with its status, retry-after and request id. */
  @Override
  void onHeaders(int status, String requestsRemaining, String tokensRemaining,
      Function<String, String> headers) {
    super.onHeaders(status, requestsRemaining, tokensRemaining, headers);
    call.attemptLog().recordAttempt(status, headers.apply("retry-after"), null,
        first(headers, "x-request-id", "request-id", "apim-request-id", "x-goog-request-id"));
  }

  @Override
  ResponseTap bodyTap(String contentType) {
    boolean sse = contentType != null && contentType.toLowerCase(Locale.ROOT).contains("text/event-stream");
    WireFormat.StreamEvents events = sse ? endpoint.format.stream(call) : null;
    return events != null ? new StreamTap(this, events) : new JsonTap(this);
  }

  /** Whether the span has ended: what the body tells after that is not mapped. */
  boolean ended() {
    return ended.get();
  }

  @Override
  void end(Throwable error) {
    if (!ended.compareAndSet(false, true)) return;
    // The scope is not closed here: the body can end on the client's own thread before the method
    // that opened the scope has returned; only that method's thread closes it (closeScope).
    Throwable outcome = error;
    if (outcome == null && status >= 400) outcome = new HttpStatusError(status);
    try {
      instrumenter.end(context, call, outcome);
    } finally {
      try {
        if (!unreadBody) AppRetries.get().afterEnd(parent, context, call, ErrorTypes.of(outcome));
      } catch (Throwable t) {
        SafeHooks.failed("http retry tracking", t);
      }
    }
  }
}
