package dev.llmotel.core.governance;

import dev.llmotel.core.LlmOtelVersion;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * Counters for what governance does apart from a call's own decisions, so that nothing it drops or
 * guesses is silent: per-trace state evicted while in use, workflow values it would not take, calls
 * to models without a price, usage it estimated.
 */
final class GovernanceMetrics {
  static final AttributeKey<String> REASON = AttributeKey.stringKey("llm_otel.reason");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");

  private static volatile GovernanceMetrics instance;

  private final LongCounter traceStatesEvicted;
  private final LongCounter workflowsRejected;
  private final LongCounter unpricedCalls;
  private final LongCounter usageEstimated;

  private GovernanceMetrics(Meter meter) {
    traceStatesEvicted = meter.counterBuilder("llm_otel.governance.trace_states.evicted")
        .setUnit("{trace}")
        .setDescription("Per-trace policy state (trace budget, loop counts) dropped while its trace was still "
            + "active, because more traces were active than governance.max-traces.")
        .build();
    workflowsRejected = meter.counterBuilder("llm_otel.workflow.rejected")
        .setUnit("{value}")
        .setDescription("Workflow values not used: from a remote caller's baggage and not declared "
            + "(reason untrusted), or past the cardinality cap (reason overflow).")
        .build();
    unpricedCalls = meter.counterBuilder("llm_otel.cost.unpriced")
        .setUnit("{call}")
        .setDescription("LLM calls with usage but no price for their model: their spend is not counted.")
        .build();
    usageEstimated = meter.counterBuilder("llm_otel.usage.estimated")
        .setUnit("{call}")
        .setDescription("LLM calls whose token usage llm-otel estimated because the provider reported none "
            + "(a stream without usage, or closed before its usage arrived).")
        .build();
  }

  static GovernanceMetrics get() {
    GovernanceMetrics m = instance;
    if (m == null) {
      synchronized (GovernanceMetrics.class) {
        m = instance;
        if (m == null) {
          m = new GovernanceMetrics(GlobalOpenTelemetry.get().getMeterProvider()
              .meterBuilder("dev.llmotel.governance").setInstrumentationVersion(LlmOtelVersion.VERSION).build());
          instance = m;
        }
      }
    }
    return m;
  }

  /** Tests only: the counters on a meter the test reads, in place of the global one. */
  static void useMeter(Meter meter) {
    synchronized (GovernanceMetrics.class) {
      instance = new GovernanceMetrics(meter);
    }
  }

  void traceStatesEvicted(long n) {
    traceStatesEvicted.add(n);
  }

  void workflowRejected(String reason) {
    workflowsRejected.add(1, Attributes.of(REASON, reason));
  }

  void unpriced(String provider, String model) {
    unpricedCalls.add(1, Attributes.of(PROVIDER, provider, MODEL, model == null ? "" : model));
  }

  void usageEstimated(String provider, String model) {
    usageEstimated.add(1, Attributes.of(PROVIDER, provider, MODEL, model == null ? "" : model));
  }
}
