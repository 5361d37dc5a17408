package dev.llmotel.core.governance;

import dev.llmotel.core.LlmOtelVersion;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * The shared store's health beside the policy decisions: {@code llm_otel.governance.store.fallback}
 * is 1 while this replica decides on its local state (the alert's signal) and 0 while on the shared
 * store; {@code llm_otel.governance.store.transitions} counts the switches each way.
 */
final class StoreMetrics {
  static final AttributeKey<String> STORE = AttributeKey.stringKey("llm_otel.governance.store");
  static final AttributeKey<String> STATE = AttributeKey.stringKey("llm_otel.governance.store.state");
  private static final Attributes REDIS = Attributes.of(STORE, "redis");
  private static final Attributes TO_FALLBACK = Attributes.of(STORE, "redis", STATE, "fallback");
  private static final Attributes TO_SHARED = Attributes.of(STORE, "redis", STATE, "shared");

  private volatile LongCounter transitions;
  /** Switches made before the meter existed (a replica that starts while the store is down, on its warm-up). */
  private final java.util.concurrent.atomic.AtomicLong earlyToFallback = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong earlyToShared = new java.util.concurrent.atomic.AtomicLong();

  /** Registered at the first admission, when the agent's SDK is surely installed. */
  void start(final SharedPolicyStore store) {
    Meter meter = GlobalOpenTelemetry.get().getMeterProvider().meterBuilder("dev.llmotel.governance")
        .setInstrumentationVersion(LlmOtelVersion.VERSION).build();
    meter.gaugeBuilder("llm_otel.governance.store.fallback").ofLongs()
        .setDescription("1 while this replica enforces its policies on its own local state because the shared "
            + "governance store is unavailable, 0 while the store is shared.")
        .buildWithCallback(m -> m.record(store.onFallback() ? 1 : 0, REDIS));
    LongCounter c = meter.counterBuilder("llm_otel.governance.store.transitions").setUnit("{transition}")
        .setDescription("Switches between the shared governance store and the local fallback, by the state "
            + "switched to.")
        .build();
    transitions = c;
    long toFallback = earlyToFallback.getAndSet(0);
    if (toFallback > 0) c.add(toFallback, TO_FALLBACK);
    long toShared = earlyToShared.getAndSet(0);
    if (toShared > 0) c.add(toShared, TO_SHARED);
  }

  void transition(boolean toFallback) {
    LongCounter c = transitions;
    if (c != null) {
      c.add(1, toFallback ? TO_FALLBACK : TO_SHARED);
    } else {
      (toFallback ? earlyToFallback : earlyToShared).incrementAndGet();
    }
  }
}
