package dev.llmotel.core;

import static dev.llmotel.semconv.GenAiAttributes.*;

import dev.llmotel.semconv.GenAiValues;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.instrumentation.api.instrumenter.OperationListener;
import io.opentelemetry.instrumentation.api.instrumenter.OperationMetrics;
import java.util.Arrays;
import java.util.List;

/**
 * The GenAI client metrics of the semantic conventions: token usage, operation duration and, for
 * streams, time to first chunk, with the semconv units and bucket boundaries.
 */
final class LlmMetrics implements OperationListener {
  static final List<Double> DURATION_BUCKETS = Arrays.asList(
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  static final List<Long> TOKEN_BUCKETS = Arrays.asList(
      1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
      16777216L, 67108864L);

  private static final ContextKey<State> STATE = ContextKey.named("llm-otel-metrics-start");

  // Attributes the metrics carry: bounded by construction (no ids, no content).
  private static final List<AttributeKey<?>> METRIC_KEYS = Arrays.<AttributeKey<?>>asList(
      OPERATION_NAME, PROVIDER_NAME, REQUEST_MODEL, RESPONSE_MODEL, SERVER_ADDRESS, SERVER_PORT,
      ERROR_TYPE, LlmOtelAttributes.WORKFLOW, LlmOtelAttributes.FAULT_INJECTED);

  private final DoubleHistogram duration;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram timeToFirstChunk;
  private final DoubleHistogram timePerOutputChunk;
  private final DoubleCounter cost;

  static OperationMetrics get() {
    return LlmMetrics::new;
  }

  private LlmMetrics(Meter meter) {
    duration = meter.histogramBuilder("gen_ai.client.operation.duration")
        .setUnit("s")
        .setDescription("GenAI operation duration.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    tokenUsage = meter.histogramBuilder("gen_ai.client.token.usage")
        .ofLongs()
        .setUnit("{token}")
        .setDescription("Number of input and output tokens used.")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
    timeToFirstChunk = meter.histogramBuilder("gen_ai.client.inference.time_to_first_chunk")
        .setUnit("s")
        .setDescription("Time to receive the first chunk of a streaming response.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    timePerOutputChunk = meter.histogramBuilder("gen_ai.client.inference.time_per_output_chunk")
        .setUnit("s")
        .setDescription("Time between consecutive chunks of a streaming response, for each chunk after the first.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    cost = meter.counterBuilder("llm_otel.cost")
        .ofDoubles()
        .setUnit("USD")
        .setDescription("Cost of LLM calls from reported token usage and the price table.")
        .build();
  }

  @Override
  public Context onStart(Context context, Attributes startAttributes, long startNanos) {
    return context.with(STATE, new State(startAttributes, startNanos));
  }

  @Override
  public void onEnd(Context context, Attributes endAttributes, long endNanos) {
    try {
      SafeHooks.checkpoint("metrics");
      record(context, endAttributes, endNanos);
    } catch (Throwable t) {
      SafeHooks.failed("metrics at call end", t);
    }
  }

  private void record(Context context, Attributes endAttributes, long endNanos) {
    State state = context.get(STATE);
    if (state == null) return;
    Attributes attributes = metricAttributes(state.startAttributes, endAttributes);
    duration.record((endNanos - state.startNanos) / 1e9, attributes, context);
    Long input = endAttributes.get(USAGE_INPUT_TOKENS);
    if (input != null) {
      tokenUsage.record(input, attributes.toBuilder()
          .put(TOKEN_TYPE, GenAiValues.TOKEN_TYPE_INPUT).build(), context);
    }
    Long output = endAttributes.get(USAGE_OUTPUT_TOKENS);
    if (output != null) {
      tokenUsage.record(output, attributes.toBuilder()
          .put(TOKEN_TYPE, GenAiValues.TOKEN_TYPE_OUTPUT).build(), context);
    }
    Double usd = endAttributes.get(LlmOtelAttributes.COST_USD);
    if (usd != null) {
      cost.add(usd, costAttributes(attributes), context);
    }
    Double ttfc = endAttributes.get(RESPONSE_TIME_TO_FIRST_CHUNK);
    if (ttfc != null) {
      // The streaming metrics carry no error.type: a stream that failed still measured its chunks.
      Attributes streaming = attributes.get(ERROR_TYPE) == null ? attributes
          : attributes.toBuilder().remove(ERROR_TYPE).build();
      timeToFirstChunk.record(ttfc, streaming, context);
      LlmCall call = LlmInstrumenter.currentCall(context);
      if (call != null) {
        for (long gap : call.response().chunkGapsNanos()) timePerOutputChunk.record(gap / 1e9, streaming, context);
      }
    }
  }

  /** Cost by provider, model and workflow: fewer attributes than the histograms, one series per model. */
  private static Attributes costAttributes(Attributes metricAttributes) {
    AttributesBuilder b = Attributes.builder();
    putIfPresent(b, metricAttributes, PROVIDER_NAME);
    putIfPresent(b, metricAttributes, REQUEST_MODEL);
    putIfPresent(b, metricAttributes, LlmOtelAttributes.WORKFLOW);
    return b.build();
  }

  private static void putIfPresent(AttributesBuilder b, Attributes from, AttributeKey<String> key) {
    String v = from.get(key);
    if (v != null) b.put(key, v);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Attributes metricAttributes(Attributes start, Attributes end) {
    return select(METRIC_KEYS, start, end);
  }

  /** Of these keys, each one's value at the span's end, else at its start: a metric's attributes. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Attributes select(List<AttributeKey<?>> keys, Attributes start, Attributes end) {
    AttributesBuilder b = Attributes.builder();
    for (AttributeKey key : keys) {
      Object value = end.get(key);
      if (value == null) value = start.get(key);
      if (value != null) b.put(key, value);
    }
    return b.build();
  }

  /** A span's attributes and time at its start, kept in its context until its end. */
  static final class State {
    final Attributes startAttributes;
    final long startNanos;

    State(Attributes startAttributes, long startNanos) {
      this.startAttributes = startAttributes;
      this.startNanos = startNanos;
    }
  }
}
