package dev.llmotel.core;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.instrumentation.api.instrumenter.OperationListener;
import io.opentelemetry.instrumentation.api.instrumenter.OperationMetrics;
import java.util.List;

/**
 * A duration histogram of one kind of span, recorded when the span ends with the span's own start
 * and end, and the span attributes the conventions list for it: {@code gen_ai.invoke_agent.duration}
 * and {@code gen_ai.execute_tool.duration}.
 */
final class OperationDurationMetric implements OperationListener {
  private final ContextKey<LlmMetrics.State> key;
  private final DoubleHistogram histogram;
  private final List<AttributeKey<?>> keys;

  private OperationDurationMetric(String name, DoubleHistogram histogram, List<AttributeKey<?>> keys) {
    this.key = ContextKey.named("llm-otel-" + name);
    this.histogram = histogram;
    this.keys = keys;
  }

  static OperationMetrics of(String name, String description, List<Double> buckets, List<AttributeKey<?>> keys) {
    return meter -> new OperationDurationMetric(name, meter.histogramBuilder(name).setUnit("s")
        .setDescription(description).setExplicitBucketBoundariesAdvice(buckets).build(), keys);
  }

  @Override
  public Context onStart(Context context, Attributes startAttributes, long startNanos) {
    return context.with(key, new LlmMetrics.State(startAttributes, startNanos));
  }

  @Override
  public void onEnd(Context context, Attributes endAttributes, long endNanos) {
    try {
      LlmMetrics.State start = context.get(key);
      if (start == null) return;
      histogram.record((endNanos - start.startNanos) / 1e9, LlmMetrics.select(keys, start.startAttributes, endAttributes),
          context);
    } catch (Throwable t) {
      SafeHooks.failed("operation duration metric", t);
    }
  }
}
