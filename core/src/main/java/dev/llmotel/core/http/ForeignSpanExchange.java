package dev.llmotel.core.http;

import dev.llmotel.core.faults.FaultKind;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.Map;
import java.util.function.Function;

/**
 * A request under an SDK's or framework's LLM span made by another class loader's copy of llm-otel
 * (the JDK's HttpClient has its own copy of llm-otel in the platform class loader): not ours to
 * duplicate; that copy's call object is out of reach, so what only this layer sees (the rate-limit
 * headers, injected faults, replay) goes onto the span current at the request, through the
 * OpenTelemetry API.
 */
final class ForeignSpanExchange extends HttpLlmExchange {
  private ForeignSpanExchange(LlmEndpoint endpoint, Context context) {
    super(endpoint, context);
  }

  /**
   * The exchange of a request under that span; its body, parsed only when fault injection or
   * record/replay is on (else null), gives the model its faults and recordings are matched by.
   */
  static ForeignSpanExchange start(LlmEndpoint endpoint, Context context, Map<?, ?> body, String path,
      byte[] requestBytes) {
    ForeignSpanExchange exchange = new ForeignSpanExchange(endpoint, context);
    if (body == null) body = Collections.emptyMap();
    String model = JsonMaps.string(body.get("model"));
    exchange.beforeSend(endpoint.provider, model != null ? model : endpoint.pathModel, null,
        endpoint.format.streamRequested(body, path), path, requestBytes);
    return exchange;
  }

  @Override
  void markReplayed() {
    Span.fromContext(context).setAttribute(LlmOtelAttributes.REPLAYED, true);
  }

  @Override
  void markFault(FaultKind kind) {
    Span span = Span.fromContext(context);
    synchronized (kinds) {
      if (!kinds.contains(kind.wireName())) kinds.add(kind.wireName());
      span.setAttribute(LlmOtelAttributes.FAULT_INJECTED, new java.util.ArrayList<>(kinds));
    }
    // The copy that owns the span ends it: it takes these kinds for the drill report there.
    try {
      dev.llmotel.core.faults.DrillReport drill = dev.llmotel.core.faults.Faults.get().report();
      if (drill != null) drill.faultAt(span.getSpanContext().getSpanId(), kind.wireName());
    } catch (Throwable t) {
      dev.llmotel.core.SafeHooks.failed("drill report", t);
    }
  }

  /** The kinds injected so far (a latency and an outcome; a client's own retries draw anew). */
  private final java.util.List<String> kinds = new java.util.ArrayList<>(2);

  /** The faults are listed on that copy's call, out of reach: the record goes without them. */
  @Override
  void recordFaults(InteractionRecord record) {}

  @Override
  void onHeaders(int status, String requestsRemaining, String tokensRemaining,
      Function<String, String> headers) {
    Span span = Span.fromContext(context);
    if (requestsRemaining != null) span.setAttribute(LlmOtelAttributes.RATELIMIT_REMAINING_REQUESTS, requestsRemaining);
    if (tokensRemaining != null) span.setAttribute(LlmOtelAttributes.RATELIMIT_REMAINING_TOKENS, tokensRemaining);
  }
}
