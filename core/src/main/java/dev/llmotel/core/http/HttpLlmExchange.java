package dev.llmotel.core.http;

import dev.llmotel.core.ErrorTypes;
import dev.llmotel.core.HttpStatusError;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.faults.FaultKind;
import dev.llmotel.core.faults.Faults;
import dev.llmotel.core.faults.InjectedFault;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One LLM call made with a plain HTTP client, whichever client: the client modules hand over the
 * request (URL and body bytes) before it is sent, the response status and headers, and the response
 * body's bytes as the app reads them; this class recognises the endpoint, maps the wire format onto
 * the shared call model and drives the span. Inside an SDK's or framework's LLM span it makes no
 * span of its own and only adds what the HTTP layer alone sees (rate-limit headers).
 *
 * <p>Certainty before enforcement: a request to a matching endpoint is an LLM call only when its
 * body is that format's request ({@link LlmRequests}, {@link WireFormat#isRequest}); any other is
 * left alone (no span, no fault, never refused), also under an SDK's span. A body that cannot be
 * read before it is sent (a one-shot or streamed body) keeps its span, unmapped, but is never
 * refused and gets no injected fault: its policy decisions are recorded as monitor-only ones.
 *
 * <p>The copy of the body is bounded ({@value #MAX_BODY_KEY}): a larger JSON body is marked
 * truncated and its usage is still read from its tail, where the APIs put it; a streamed body is
 * parsed event by event, so only one event is held at a time.
 */
public final class HttpLlmExchange {
  public static final String MAX_BODY_KEY = "otel.instrumentation.llm-otel.http.max-body-bytes";
  static final int MAX_BODY = LlmOtelConfig.readInt(MAX_BODY_KEY, 4 << 20, 16 << 10, 256 << 20);
  private static final int TAIL = 16 << 10;

  private final LlmInstrumenter instrumenter;
  private final LlmEndpoint endpoint;
  private final LlmCall call;
  private final Context parent;
  private final Context context;
  private final boolean owns;
  private Scope scope;
  private volatile int status;
  private volatile long contentLength = -1;
  private HttpFault fault;
  private boolean replayed;
  private int attempts;
  private String faultProvider;
  private String faultModel;
  private String faultWorkflow;
  private boolean faultStreaming;
  private InteractionRecord record;
  /** The request's body could not be read before sending: the call is traced but never refused or faulted. */
  private boolean unreadBody;
  private final AtomicBoolean ended = new AtomicBoolean();

  private HttpLlmExchange(LlmInstrumenter instrumenter, LlmEndpoint endpoint, LlmCall call, Context parent,
      Context context, boolean owns) {
    this.instrumenter = instrumenter;
    this.endpoint = endpoint;
    this.call = call;
    this.parent = parent;
    this.context = context;
    this.owns = owns;
  }

  /**
   * Before a request is sent: null when it is not an LLM call (or tracing is suppressed), else the
   * exchange, whose span is current until {@link #closeScope}. A request is an LLM call when its
   * endpoint matches and its body is that format's request; a body that cannot be read before
   * sending gets its span too, but is never refused (see {@link #refusal}). A refused call has its
   * span already ended: the client module throws {@link #refusal()}'s message as its own I/O
   * exception.
   */
  public static HttpLlmExchange start(LlmInstrumenter instrumenter, String method, String url, String host,
      int port, String path, RequestBytes requestBody) {
    try {
      if (!"POST".equalsIgnoreCase(method)) return null;
      LlmEndpoint endpoint = LlmEndpoints.get().match(host, port, path);
      if (endpoint == null) return null;
      Context parent = Context.current();
      LlmCall outer = LlmInstrumenter.currentCall(parent);
      boolean foreignOuter = outer == null && LlmInstrumenter.hasCallFromAnyClassLoader(parent);
      if (outer != null || foreignOuter) {
        // Under an SDK's or framework's span the request is that library's own, and this layer only
        // enriches: the body is read (and checked) only when this layer may change the request,
        // fault injection or record/replay, so that the SDK's calls pay nothing more.
        byte[] bytes = sdkAttemptsObserved() ? read(requestBody) : null;
        Map<?, ?> body = bytes == null ? null : LlmRequests.parse(endpoint, bytes);
        if (bytes != null && body == null) return null;
        if (outer != null) {
          HttpLlmExchange inner = new HttpLlmExchange(instrumenter, endpoint, outer, parent, parent, false);
          inner.beforeSend(outer.provider(), outer.requestModel(), outer.workflow(), outer.streaming(), path, bytes);
          return inner;
        }
        // An SDK's or framework's span from another class loader's copy (the JDK's HttpClient has its
        // own copy of llm-otel in the platform class loader): not ours to duplicate; its call object is
        // out of reach, so what only this layer sees goes onto the span current at the request.
        HttpLlmExchange foreign = new HttpLlmExchange(instrumenter, endpoint, null, parent, parent, false);
        if (body == null) body = Collections.emptyMap();
        String model = JsonMaps.string(body.get("model"));
        foreign.beforeSend(endpoint.provider, model != null ? model : endpoint.pathModel, null,
            endpoint.format.streamRequested(body, path), path, bytes);
        return foreign;
      }
      byte[] bytes = read(requestBody);
      Map<?, ?> body;
      if (bytes != null) {
        body = LlmRequests.parse(endpoint, bytes);
        if (body == null) return null; // not this format's request: not an LLM call
      } else {
        body = Collections.emptyMap(); // cannot be read before sending: traced, unmapped, never refused
      }
      LlmCall call = new LlmCall(endpoint.provider, endpoint.format.operation());
      call.server(url);
      try {
        endpoint.format.request(call, body, endpoint.pathModel);
      } catch (Throwable t) {
        SafeHooks.failed("http request mapping", t);
      }
      call.streaming(endpoint.format.streamRequested(body, path));
      // An unread body says nothing of the request: no retry of another request is inferred from it
      // (their hashes would all be the same), and the policies may only monitor it (marked before
      // governance runs: the call is still counted against every limit, but never refused).
      if (bytes == null) {
        call.policiesMonitorOnly();
      } else {
        call.beforeSpanStart(AppRetries.get()::beforeStart);
      }
      Context context = instrumenter.start(parent, call);
      if (context == null) return null;
      HttpLlmExchange exchange = new HttpLlmExchange(instrumenter, endpoint, call, parent, context, true);
      exchange.unreadBody = bytes == null;
      if (exchange.refusal() == null) {
        exchange.scope = context.makeCurrent();
        exchange.beforeSend(call.provider(), call.requestModel(), call.workflow(), call.streaming(), path, bytes);
      }
      return exchange;
    } catch (Throwable t) {
      SafeHooks.failed("http call start", t);
      return null;
    }
  }

  /**
   * One HTTP attempt of an SDK whose own module maps its calls (the AWS SDK's HTTP layer under the
   * Bedrock module's span): no span and no mapping here, only what the HTTP layer alone can do,
   * fault injection and record/replay. Null outside an LLM call, or when neither is on.
   */
  public static HttpLlmExchange underSdkCall(WireFormat format, String path, String pathModel,
      RequestBytes requestBody) {
    try {
      if (!Faults.get().enabled() && !Recordings.get().active()) return null;
      Context parent = Context.current();
      LlmCall outer = LlmInstrumenter.currentCall(parent);
      if (outer == null) return null;
      LlmEndpoint endpoint = new LlmEndpoint(outer.provider(), format, pathModel);
      HttpLlmExchange inner = new HttpLlmExchange(null, endpoint, outer, parent, parent, false);
      String model = outer.requestModel() != null ? outer.requestModel() : pathModel;
      inner.beforeSend(outer.provider(), model, outer.workflow(), outer.streaming(), path,
          Recordings.get().active() ? read(requestBody) : null);
      return inner;
    } catch (Throwable t) {
      SafeHooks.failed("sdk http attempt", t);
      return null;
    }
  }

  /**
   * One HTTP attempt of a request to a known LLM endpoint, made by a client this extension does not
   * make spans for (Apache HttpClient 4 under Google GenAI 1.x) inside an SDK's LLM call: fault
   * injection and record/replay only. Null when it is no such request, outside an LLM call, or when
   * neither is on.
   */
  public static HttpLlmExchange underCall(String host, int port, String path, RequestBytes requestBody) {
    try {
      if (!sdkAttemptsObserved()) return null;
      LlmEndpoint endpoint = LlmEndpoints.get().match(host, port, path);
      if (endpoint == null) return null;
      final byte[] bytes = read(requestBody);
      if (bytes != null && LlmRequests.parse(endpoint, bytes) == null) return null; // not an LLM request
      return underSdkCall(endpoint.format, path, endpoint.pathModel, () -> bytes);
    } catch (Throwable t) {
      SafeHooks.failed("http attempt", t);
      return null;
    }
  }

  /** Whether {@link #underSdkCall} has anything to do: fault injection or record/replay is on. */
  public static boolean sdkAttemptsObserved() {
    return Faults.get().enabled() || Recordings.get().active();
  }

  private static byte[] read(RequestBytes requestBody) {
    try {
      return requestBody == null ? null : requestBody.read();
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * Before the request goes out: replay answers it from a recording (or fails it, for a request
   * without one); else fault injection may put a fault into it; record mode starts its record.
   */
  private void beforeSend(String provider, String model, String workflow, boolean streaming, String path,
      byte[] requestBytes) {
    try {
      Recordings recordings = Recordings.get();
      if (recordings.active()) {
        String request = requestBytes == null ? null : new String(requestBytes, StandardCharsets.UTF_8);
        String key = Recordings.requestKey(request);
        if (recordings.replaying()) {
          Map<?, ?> recorded = recordings.find(key, provider, endpoint.format.operation(), model);
          if (recorded != null) {
            fault = InteractionRecord.replay(recorded);
          } else if (!recordings.missGoesToNetwork()) {
            fault = HttpFault.replayed(null, -1, "no recorded interaction for this request (llm-otel replay)");
          }
          if (fault != null) {
            replayed = true;
            markReplayed();
            return;
          }
        }
        if (recordings.recording()) {
          record = new InteractionRecord(endpoint.format, provider, model, path, key, request,
              Span.fromContext(context).getSpanContext());
        }
      }
    } catch (Throwable t) {
      SafeHooks.failed("record and replay", t);
    }
    faultProvider = provider;
    faultModel = model;
    faultWorkflow = workflow;
    faultStreaming = streaming;
    decideFault(provider, model, workflow, streaming);
    if (record != null && call != null) record.faults(call.faultsInjected());
  }

  private void markReplayed() {
    if (call != null) {
      call.replayed(true);
    } else {
      Span.fromContext(parent).setAttribute(LlmOtelAttributes.REPLAYED, true);
    }
  }

  /**
   * The request body's bytes, read when this layer makes the call's span, and under an SDK's span
   * (which has the request already) only when fault injection or record/replay is on; null when
   * the body cannot be read without consuming it (a failure to read counts the same). A request
   * without a body should give an empty array: it is then judged, and is no LLM call.
   */
  public interface RequestBytes {
    byte[] read() throws Exception;
  }

  private void decideFault(String provider, String model, String workflow, boolean streaming) {
    // A request this layer could not read may not be an LLM call at all: no drill breaks it.
    if (unreadBody) return;
    try {
      Faults faults = Faults.get();
      if (!faults.enabled()) return;
      InjectedFault injected = faults.decide(provider, model, workflow, endpoint.format.operation(), streaming,
          endpoint.format.toolCallBody(model, "t") != null);
      if (injected == null) return;
      fault = HttpFault.injected(injected, endpoint.format, model);
      if (injected.latencyMillis > 0) markFault(FaultKind.LATENCY);
      if (injected.kind != null) markFault(injected.kind);
    } catch (Throwable t) {
      SafeHooks.failed("fault injection", t);
    }
  }

  private void markFault(FaultKind kind) {
    if (call != null) {
      call.faultInjected(kind.wireName());
    } else {
      Span.fromContext(parent).setAttribute(LlmOtelAttributes.FAULT_INJECTED, Collections.singletonList(kind.wireName()));
    }
  }

  /**
   * The fault to put into this request (fault injection, off by default), or null: the client
   * module applies it the way its own real fault of that kind would look.
   */
  public HttpFault fault() {
    return fault;
  }

  /**
   * The fault for one attempt at this request, for a client that repeats a request itself below
   * the point where the exchange starts (Apache HttpClient's own retry of a 429 or 503): the first
   * attempt gets {@link #fault()}, each later one is drawn anew as a request of its own would be,
   * so a rule limited to one time fails the first attempt and lets the client's retry through. A
   * replayed answer stays the same for every attempt.
   */
  public HttpFault attemptFault() {
    if (attempts++ == 0 || replayed) return fault;
    fault = null;
    decideFault(faultProvider, faultModel, faultWorkflow, faultStreaming);
    return fault;
  }

  /**
   * The policy refusal of this call, or null; the client module fails the call with it. Never one
   * for a request whose body could not be read: its decisions are monitor-only.
   */
  public PolicyDecision refusal() {
    return owns && !unreadBody ? call.refusal() : null;
  }

  /** A refused call ends with the exception the client module throws for it (its own I/O exception). */
  public void refused(Throwable exception) {
    end(exception);
  }

  /**
   * The request's method returned or handed the exchange to another thread: the span is no longer
   * current. Called on the thread that started the exchange, always (also after a failure).
   */
  public void closeScope() {
    Scope s = scope;
    scope = null;
    if (s != null) {
      try {
        s.close();
      } catch (Throwable t) {
        SafeHooks.failed("http scope close", t);
      }
    }
  }

  /** The response's status and headers arrived. */
  public void onResponse(int status, Function<String, String> headers) {
    try {
      this.status = status;
      contentLength = parseLength(headers.apply("content-length"));
      if (record != null) record.response(status, headers);
      String requests = first(headers, "x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining");
      String tokens = first(headers, "x-ratelimit-remaining-tokens", "anthropic-ratelimit-tokens-remaining");
      if (call == null) {
        Span outer = Span.fromContext(parent);
        if (requests != null) outer.setAttribute(LlmOtelAttributes.RATELIMIT_REMAINING_REQUESTS, requests);
        if (tokens != null) outer.setAttribute(LlmOtelAttributes.RATELIMIT_REMAINING_TOKENS, tokens);
        return;
      }
      call.rateLimitRemaining(requests, tokens);
      if (owns) {
        call.recordAttempt(status, headers.apply("retry-after"), null,
            first(headers, "x-request-id", "request-id", "apim-request-id", "x-goog-request-id"));
      }
    } catch (Throwable t) {
      SafeHooks.failed("http response headers", t);
    }
  }

  private static long parseLength(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String first(Function<String, String> headers, String... names) {
    for (String name : names) {
      String v = headers.apply(name);
      if (v != null) return v;
    }
    return null;
  }

  /**
   * The response of one attempt arrived: its status and headers are handed over, and what reads its
   * body comes back, this exchange's tap and the attempt's injected cut (for a client module that
   * reads bodies as an InputStream).
   */
  public AttemptBody attemptBody(int status, Function<String, String> headers, HttpFault fault) {
    onResponse(status, headers);
    String contentType = headers.apply("content-type");
    return new AttemptBody(tap(contentType), fault == null ? null : fault.cut(contentType));
  }

  /** What reads one attempt's body: the tap (null when nothing records or maps it) and the cut (null when none). */
  public static final class AttemptBody {
    public final ResponseTap tap;
    public final HttpFault.BodyCut cut;

    AttemptBody(ResponseTap tap, HttpFault.BodyCut cut) {
      this.tap = tap;
      this.cut = cut;
    }

    /** Whether the body must be read through {@link #wrap}; else it is left as it is. */
    public boolean observed() {
      return tap != null || cut != null;
    }

    /** The body as the app reads it: up to the cut (then the client's own I/O error), through the tap. */
    public InputStream wrap(InputStream in, Supplier<IOException> connectionDropped) {
      if (in == null) return null;
      InputStream read = cut == null ? in : new CutInputStream(in, cut, connectionDropped);
      return tap == null ? read : new TappedInputStream(read, tap);
    }
  }

  /** The request failed before a response (connection refused, timeout): the span ends with that error. */
  public void failed(Throwable error) {
    if (record != null) record.finish(error, false);
    end(error);
  }

  /**
   * What observes the response body as the app reads it; null when this exchange has nothing to
   * read from it (an outer span owns the call).
   */
  public ResponseTap tap(String contentType) {
    ResponseTap tap = null;
    if (owns) {
      boolean sse = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream");
      WireFormat.StreamEvents events = sse ? endpoint.format.stream(call) : null;
      tap = events != null ? new StreamTap(events) : new JsonTap();
    }
    return record == null ? tap : new RecordingTap(tap, record);
  }

  /** Record mode: the span's tap (if this layer owns the span), and the record, see the same bytes. */
  final class RecordingTap extends ResponseTap {
    private final ResponseTap inner;
    private final InteractionRecord record;

    RecordingTap(ResponseTap inner, InteractionRecord record) {
      this.inner = inner;
      this.record = record;
    }

    @Override
    public void bytes(byte[] b, int off, int len) {
      if (inner != null) inner.bytes(b, off, len);
      try {
        record.bytes(b, off, len);
      } catch (Throwable t) {
        SafeHooks.failed("recording a response", t);
      }
    }

    @Override
    public void end() {
      if (inner != null) inner.end();
      record.finish(null, false);
    }

    @Override
    public void error(Throwable t) {
      if (inner != null) inner.error(t);
      record.finish(t, false);
    }

    @Override
    public void closed() {
      if (inner != null) inner.closed();
      // Closed before its end only when the body's length says so: SDKs close a body they read whole.
      record.finish(null, contentLength >= 0 && record.bytesRead() < contentLength);
    }

    @Override
    void finish(boolean readToEnd) {}
  }

  private void end(Throwable error) {
    if (!owns || !ended.compareAndSet(false, true)) return;
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

  /** The response body as the app reads it: bytes, its end, a failure, or the app closing it first. */
  public abstract class ResponseTap {
    /** Bytes the app just read, in order. */
    public abstract void bytes(byte[] b, int off, int len);

    /** The app read the body to its end. */
    public void end() {
      finish(true);
      HttpLlmExchange.this.end(null);
    }

    /** Reading the body failed. */
    public void error(Throwable t) {
      finish(false);
      HttpLlmExchange.this.end(t);
    }

    /** The app closed the body (or released the exchange), read to the end or not. */
    public void closed() {
      finish(false);
      HttpLlmExchange.this.end(null);
    }

    abstract void finish(boolean readToEnd);
  }

  /** A JSON body: a bounded copy, parsed when the app has read it all. */
  final class JsonTap extends ResponseTap {
    // Sized by the response's content-length where it has one (no copies as it grows).
    private final ByteArrayOutputStream head = new ByteArrayOutputStream(
        contentLength > 0 && contentLength <= MAX_BODY ? (int) contentLength : 1024);
    private byte[] tail;
    private long total;
    private boolean finished;

    @Override
    public synchronized void bytes(byte[] b, int off, int len) {
      try {
        int intoHead = Math.max(0, Math.min(MAX_BODY - head.size(), len));
        if (intoHead > 0) head.write(b, off, intoHead);
        total += intoHead;
        int rest = len - intoHead;
        if (rest == 0) return;
        // Past the cap: from here on only the body's last TAIL bytes are kept (where its usage is).
        // The ring is made only now, from the head's end, so a body within the cap costs no ring.
        if (tail == null) {
          tail = new byte[TAIL];
          byte[] h = head.toByteArray();
          for (long p = total - TAIL; p < total; p++) tail[(int) (p % TAIL)] = h[(int) p];
        }
        int start = off + intoHead;
        for (int i = Math.max(start, off + len - TAIL); i < off + len; i++) {
          tail[(int) ((total + i - start) % TAIL)] = b[i];
        }
        total += rest;
      } catch (Throwable t) {
        SafeHooks.failed("http body copy", t);
      }
    }

    @Override
    synchronized void finish(boolean readToEnd) {
      if (finished || ended.get()) return;
      finished = true;
      if (total == 0) return; // never read: no usage to claim
      try {
        SafeHooks.checkpoint("response");
        if (total <= MAX_BODY) {
          // Also on an early close: an app that read exactly the body's length never sees its end,
          // and a copy that parses as a whole object is the whole body.
          Map<?, ?> body = JsonMaps.parseObject(new String(head.toByteArray(), StandardCharsets.UTF_8));
          if (body != null) endpoint.format.response(call, body);
          return;
        }
        if (!readToEnd) return;
        call.responseTruncated(true);
        Map<?, ?> usage = TailUsage.find(tailBytes());
        if (usage != null) endpoint.format.response(call, usage);
      } catch (Throwable t) {
        SafeHooks.failed("http response mapping", t);
      }
    }

    private byte[] tailBytes() {
      int n = (int) Math.min(TAIL, total);
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) out[i] = tail[(int) ((total - n + i) % TAIL)];
      return out;
    }
  }

  /** A server-sent event stream: parsed event by event as the app reads it. */
  final class StreamTap extends ResponseTap implements SseParser.Listener {
    private final WireFormat.StreamEvents events;
    private final SseParser parser = new SseParser(this, MAX_BODY);
    private boolean finished;

    StreamTap(WireFormat.StreamEvents events) {
      this.events = events;
    }

    @Override
    public synchronized void bytes(byte[] b, int off, int len) {
      try {
        parser.feed(b, off, len);
      } catch (Throwable t) {
        SafeHooks.failed("http stream parsing", t);
      }
    }

    @Override
    public void onEvent(String event, String data) {
      try {
        SafeHooks.checkpoint("chunk");
        if (!"[DONE]".equals(data)) call.onChunk();
        events.onEvent(event, events.wants(event, data) ? JsonMaps.parseObject(data) : null, data);
      } catch (Throwable t) {
        SafeHooks.failed("http stream event", t);
      }
    }

    @Override
    public void onOversizedEvent() {
      call.responseTruncated(true);
    }

    @Override
    synchronized void finish(boolean readToEnd) {
      if (finished || ended.get()) return;
      finished = true;
      try {
        if (readToEnd) parser.end();
        SafeHooks.checkpoint("stream-end");
        events.finish();
        if (!events.finished() && status < 400) call.streamEnd(LlmOtelAttributes.STREAM_END_CLOSED_EARLY);
      } catch (Throwable t) {
        SafeHooks.failed("http stream finish", t);
      }
    }
  }
}
