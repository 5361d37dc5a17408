package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.faults.FaultKind;
import dev.llmotel.core.faults.Faults;
import dev.llmotel.core.faults.InjectedFault;
import dev.llmotel.semconv.GenAiValues;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One LLM call made with a plain HTTP client, whichever client, as the client modules see it (or,
 * in a chaos drill, another HTTP request a rule of http_faults reaches: {@link RequestFaultExchange}): they
 * hand over the request (URL and body bytes) before it is sent, the response status and headers,
 * and the response body's bytes as the app reads them ({@link ResponseTap}). Who owns the call
 * decides which class serves the exchange; the static entry points choose it:
 * <ul>
 *   <li>{@link OwnedCallExchange}: no LLM span is current, so this layer owns the call: it
 *       recognises the endpoint, maps the wire format onto the shared call model and drives the span.
 *   <li>{@link SdkCallExchange}: an SDK's or framework's LLM call (this class loader's) is current:
 *       no span of its own, only what the HTTP layer alone sees goes onto that call (rate-limit
 *       headers, injected faults, replay).
 *   <li>{@link ForeignSpanExchange}: the current LLM span is another class loader's copy of
 *       llm-otel's, whose call is out of reach: the same goes onto that span instead.
 * </ul>
 * What every mode shares is here: before the request goes out, replay answers it from a recording,
 * else fault injection may put a fault into it, and record mode starts its record.
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
public abstract class HttpLlmExchange {
  public static final String MAX_BODY_KEY = "otel.instrumentation.llm-otel.http.max-body-bytes";
  static final int MAX_BODY = LlmOtelConfig.readInt(MAX_BODY_KEY, 4 << 20, 16 << 10, 256 << 20);

  final LlmEndpoint endpoint;
  /** The context of the call's span: this layer's own, or the one current at the request. */
  final Context context;
  volatile int status;
  volatile long contentLength = -1;
  HttpFault fault;
  private boolean replayed;
  int attempts;
  private String faultProvider;
  private String faultModel;
  private String faultWorkflow;
  private boolean faultStreaming;
  private InteractionRecord record;

  HttpLlmExchange(LlmEndpoint endpoint, Context context) {
    this.endpoint = endpoint;
    this.context = context;
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
      // An attempt of an SDK call whose own attempt hook reads the response's headers (status, request id,
      // rate limits): with neither fault injection nor record/replay on, this layer has nothing to add.
      if (!sdkAttemptsObserved()) {
        LlmCall current = LlmInstrumenter.currentCall(Context.current());
        if (current != null && current.attemptLog().headersReadBySdk()) return null;
      }
      LlmEndpoint endpoint = "POST".equalsIgnoreCase(method) ? LlmEndpoints.get().match(host, port, path) : null;
      if (endpoint == null) return RequestFaultExchange.start(method, url, host, port, path);
      Context parent = Context.current();
      LlmCall outer = LlmInstrumenter.currentCall(parent);
      if (outer != null || LlmInstrumenter.hasOpenCallFromAnyClassLoader(parent)) {
        // Under an SDK's or framework's span the request is that library's own, and this layer only
        // enriches: the body is read (and checked) only when this layer may change the request,
        // fault injection or record/replay, so that the SDK's calls pay nothing more.
        byte[] bytes = sdkAttemptsObserved() ? read(requestBody) : null;
        Map<?, ?> body = bytes == null ? null : LlmRequests.parse(endpoint, bytes);
        if (bytes != null && body == null) return RequestFaultExchange.start(method, url, host, port, path);
        if (outer != null) return SdkCallExchange.start(endpoint, outer, parent, outer.request().requestModel(), path, bytes);
        return ForeignSpanExchange.start(endpoint, parent, body, path, bytes);
      }
      byte[] bytes = read(requestBody);
      HttpLlmExchange owned = OwnedCallExchange.start(instrumenter, endpoint, parent, url, path, bytes);
      // No span: tracing is suppressed here, or the body is not that format's request (then it is no
      // LLM call, and a drill's http_faults may reach it like any other request).
      if (owned != null || bytes == null || !Faults.get().requestFaultsEnabled()
          || LlmRequests.parse(endpoint, bytes) != null) {
        return owned;
      }
      return RequestFaultExchange.start(method, url, host, port, path);
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
      String model = outer.request().requestModel() != null ? outer.request().requestModel() : pathModel;
      return SdkCallExchange.start(endpoint, outer, parent, model, path,
          Recordings.get().active() ? read(requestBody) : null);
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

  /**
   * Whether {@link #start} may act on a request with this method, for a client module to skip the
   * rest cheaply: an LLM call is a POST; any request only in a drill with http_faults.
   */
  public static boolean mayAct(String method) {
    return "POST".equalsIgnoreCase(method) || Faults.get().requestFaultsEnabled();
  }

  /** Whether {@link #underSdkCall} has anything to do: fault injection or record/replay is on. */
  public static boolean sdkAttemptsObserved() {
    return Faults.get().enabled() || Recordings.get().active();
  }

  static byte[] read(RequestBytes requestBody) {
    try {
      return requestBody == null ? null : requestBody.read();
    } catch (Throwable t) {
      return null;
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

  /**
   * Before the request goes out: replay answers it from a recording (or fails it, for a request
   * without one); else fault injection may put a fault into it; record mode starts its record.
   */
  final void beforeSend(String provider, String model, dev.llmotel.core.CallGovernance governance, boolean streaming,
      String path, byte[] requestBytes) {
    // Under another copy's span the workflow is what this copy can see of it: the app's baggage.
    String workflow = governance != null ? governance.workflow() : workflowOf(context);
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
          if (governance != null) record.identity(workflow, governance.promptName(), governance.promptVersion());
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
    if (record != null) recordFaults(record);
  }

  private void decideFault(String provider, String model, String workflow, boolean streaming) {
    if (!mayInjectFaults()) return;
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

  private static String workflowOf(Context context) {
    try {
      return dev.llmotel.core.governance.Governance.get().workflowOf(context);
    } catch (Throwable t) {
      SafeHooks.failed("workflow of a request", t);
      return null;
    }
  }

  /** Whether fault injection may break this request; every request this layer could read. */
  boolean mayInjectFaults() {
    return true;
  }

  /** The request is answered from a recording (or failed for want of one): marked where the call is seen. */
  abstract void markReplayed();

  /** A fault of this kind was put into the request: marked where the call is seen. */
  abstract void markFault(FaultKind kind);

  /** Record mode: the faults the call had injected go into its record, where they can be reached. */
  abstract void recordFaults(InteractionRecord record);

  /**
   * What a response tells the call beyond its record: its status, the remaining requests and
   * tokens of the rate limit (each null when the response has no such header), and its headers.
   */
  abstract void onHeaders(int status, String requestsRemaining, String tokensRemaining,
      Function<String, String> headers);

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
   * The policy refusal of this call, or null; the client module fails the call with it. Only the
   * layer that owns the call refuses it, and never a request whose body could not be read: its
   * decisions are monitor-only.
   */
  public PolicyDecision refusal() {
    return null;
  }

  /** A refused call ends with the exception the client module throws for it (its own I/O exception). */
  public void refused(Throwable exception) {
    end(exception);
  }

  /**
   * The request's method returned or handed the exchange to another thread: the span is no longer
   * current. Called on the thread that started the exchange, always (also after a failure). Only
   * an exchange that made the span has a scope to close.
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

  /** The scope of the span this exchange made (and made current), until {@link #closeScope}; null for none. */
  Scope scope;

  /** The response's status and headers arrived. */
  public void onResponse(int status, Function<String, String> headers) {
    try {
      this.status = status;
      contentLength = parseLength(headers.apply("content-length"));
      if (record != null) record.response(status, headers);
      // Each header lookup scans the response's headers: only the names this provider sends.
      boolean anthropic = endpoint != null && GenAiValues.PROVIDER_ANTHROPIC.equals(endpoint.provider);
      String requests = headers.apply(anthropic ? "anthropic-ratelimit-requests-remaining" : "x-ratelimit-remaining-requests");
      String tokens = headers.apply(anthropic ? "anthropic-ratelimit-tokens-remaining" : "x-ratelimit-remaining-tokens");
      onHeaders(status, requests, tokens, headers);
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

  static String first(Function<String, String> headers, String... names) {
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
   * read from it (an outer span owns the call, and nothing is recorded).
   */
  public ResponseTap tap(String contentType) {
    ResponseTap tap = bodyTap(contentType);
    return record == null ? tap : new RecordingTap(tap, record, this);
  }

  /** What maps the response body onto the call; null when another layer reads the body (it owns the call). */
  ResponseTap bodyTap(String contentType) {
    return null;
  }

  /** The call ends, with this error or none: only the layer that made the span ends it. */
  void end(Throwable error) {}
}
