package dev.llmotel.core.http;

import dev.llmotel.core.ErrorTypes;
import dev.llmotel.core.LlmOtelVersion;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.faults.DrillReport;
import dev.llmotel.core.faults.FaultKind;
import dev.llmotel.core.faults.Faults;
import dev.llmotel.core.faults.InjectedFault;
import dev.llmotel.core.governance.Governance;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An HTTP request that is no LLM call, reached by a rule of the fault file's {@code http_faults}
 * (chaos drills: "the vector database is down while the model is slow"). It gets its injected fault
 * at the same client layers as an LLM call's, and a span of its own, {@code {METHOD}}, which
 * carries {@code llm_otel.fault.injected}: the request's only span when the fault replaces the
 * exchange (the client's own instrumentation never sees a request that was not sent), the parent
 * of the agent's HTTP span when the request goes on (latency, a truncated body). Each fault is
 * counted in {@code llm_otel.http.faults} and in the drill report, under the request's workflow
 * and its agent run.
 */
final class RequestFaultExchange extends HttpLlmExchange {
  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final String SCOPE = "dev.llmotel.faults";
  /** The agent run's context key's name: another copy's run is found by it in the context (see AgentRun#toString). */
  private static final String RUN_KEY = "llm-otel-agent-run";

  private static volatile Instruments instruments;

  private final String method;
  private final String host;
  private final String path;
  private final String workflow;
  private final String runSpanId;
  private final Span span;
  private final List<String> kinds = new ArrayList<>(2);
  private final AtomicBoolean ended = new AtomicBoolean();

  private RequestFaultExchange(Context context, Span span, String method, String host, String path, String workflow,
      String runSpanId) {
    super(null, context);
    this.span = span;
    this.method = method;
    this.host = host;
    this.path = path;
    this.workflow = workflow;
    this.runSpanId = runSpanId;
  }

  /**
   * The exchange of a request that is no LLM call when an http_faults rule fires for it (its span
   * started and current until {@link #closeScope}), else null. Cheap when the fault file has no
   * http_faults: one check.
   */
  static RequestFaultExchange start(String method, String url, String host, int port, String path) {
    Faults faults = Faults.get();
    if (!faults.requestFaultsEnabled()) return null;
    Context parent = Context.current();
    String workflow = Governance.get().workflowOf(parent);
    InjectedFault injected = faults.decideRequest(method, host, path, workflow);
    if (injected == null) return null;
    Span span = instruments().tracer.spanBuilder(method == null ? "HTTP" : method).setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(HTTP_REQUEST_METHOD, method)
        .setAttribute(GenAiAttributes.SERVER_ADDRESS, host)
        .setAttribute(GenAiAttributes.SERVER_PORT, (long) port)
        .setAttribute(URL_FULL, withoutQuery(url))
        .startSpan();
    Context context = parent.with(span);
    RequestFaultExchange exchange = new RequestFaultExchange(context, span, method, host, path, workflow,
        runSpanId(parent));
    exchange.injected(injected);
    exchange.scope = context.makeCurrent();
    return exchange;
  }

  /** The URL without its query and fragment, which may carry keys and tokens. */
  static String withoutQuery(String url) {
    if (url == null) return null;
    int cut = url.length();
    int q = url.indexOf('?');
    int f = url.indexOf('#');
    if (q >= 0) cut = q;
    if (f >= 0 && f < cut) cut = f;
    return url.substring(0, cut);
  }

  /** The span id of the agent run this request belongs to, whichever copy of llm-otel runs the agent. */
  static String runSpanId(Context context) {
    String run = dev.llmotel.core.ForeignContextValues.valueText(context, RUN_KEY);
    if (run == null || !run.startsWith(dev.llmotel.core.AgentRun.TO_STRING_PREFIX)) return null;
    String id = run.substring(dev.llmotel.core.AgentRun.TO_STRING_PREFIX.length());
    if (id.length() != 16) return null;
    for (int i = 0; i < id.length(); i++) {
      if (Character.digit(id.charAt(i), 16) < 0) return null;
    }
    return id;
  }

  private void injected(InjectedFault injected) {
    fault = HttpFault.injectedIntoRequest(injected);
    if (injected.latencyMillis > 0) markFault(FaultKind.LATENCY);
    if (injected.kind != null) markFault(injected.kind);
  }

  /** A later attempt of the same request (the client's own retry) is drawn anew, as a request of its own. */
  @Override
  public HttpFault attemptFault() {
    if (attempts++ == 0) return fault;
    fault = null;
    try {
      InjectedFault injected = Faults.get().decideRequest(method, host, path, workflow);
      if (injected != null) injected(injected);
    } catch (Throwable t) {
      SafeHooks.failed("fault injection", t);
    }
    return fault;
  }

  @Override
  void markFault(FaultKind kind) {
    String name = kind.wireName();
    synchronized (kinds) {
      if (!kinds.contains(name)) kinds.add(name);
      span.setAttribute(LlmOtelAttributes.FAULT_INJECTED, new ArrayList<>(kinds));
    }
    try {
      AttributesBuilder a = Attributes.builder().put(LlmOtelAttributes.FAULT_KIND, name)
          .put(GenAiAttributes.SERVER_ADDRESS, host).put(HTTP_REQUEST_METHOD, method);
      if (workflow != null) a.put(LlmOtelAttributes.WORKFLOW, workflow);
      instruments().faults.add(1, a.build(), context);
      DrillReport drill = Faults.get().report();
      if (drill != null) {
        drill.request(workflow, name);
        drill.faultAt(runSpanId, name);
      }
    } catch (Throwable t) {
      SafeHooks.failed("http fault metrics", t);
    }
  }

  @Override
  void markReplayed() {}

  @Override
  void recordFaults(InteractionRecord record) {}

  /** The response (made or real) arrived: the span ends with its status. */
  @Override
  void onHeaders(int status, String requestsRemaining, String tokensRemaining, Function<String, String> headers) {
    span.setAttribute(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
    if (status >= 400) {
      span.setAttribute(GenAiAttributes.ERROR_TYPE, String.valueOf(status));
      span.setStatus(StatusCode.ERROR);
    }
    endSpan();
  }

  @Override
  void end(Throwable error) {
    if (error != null && !ended.get()) {
      span.setAttribute(GenAiAttributes.ERROR_TYPE, ErrorTypes.of(error));
      span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    }
    endSpan();
  }

  private void endSpan() {
    if (ended.compareAndSet(false, true)) span.end();
  }


  private static Instruments instruments() {
    Instruments i = instruments;
    if (i == null) {
      synchronized (RequestFaultExchange.class) {
        if (instruments == null) instruments = new Instruments();
        i = instruments;
      }
    }
    return i;
  }

  /** The tracer and counter of injected request faults, made once per copy when the first fault fires. */
  private static final class Instruments {
    final Tracer tracer = GlobalOpenTelemetry.get().tracerBuilder(SCOPE)
        .setInstrumentationVersion(LlmOtelVersion.VERSION).build();
    final LongCounter faults = GlobalOpenTelemetry.get().getMeterProvider().meterBuilder(SCOPE)
        .setInstrumentationVersion(LlmOtelVersion.VERSION).build()
        .counterBuilder("llm_otel.http.faults").setUnit("{fault}")
        .setDescription("Faults a chaos drill injected into the agent's HTTP requests that are no LLM calls, by kind and host.")
        .build();
  }
}
