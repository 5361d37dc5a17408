package dev.llmotel.core;

import static dev.llmotel.semconv.GenAiAttributes.*;

import dev.llmotel.semconv.GenAiValues;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
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
 * streams, time to first chunk and per chunk, with the semconv units and bucket boundaries.
 *
 * <p>Which names: by default those the agent's own GenAI instrumentations record, which dashboards
 * and alerts read ({@code gen_ai.client.operation.duration}, the {@code gen_ai.client.token.usage}
 * histogram by {@code gen_ai.token.type}). With {@code otel.semconv-stability.opt-in} naming
 * {@value #LATEST_OPT_IN} (the value OpenTelemetry's other GenAI instrumentations read), the latest
 * conventions' instead: {@code gen_ai.client.inference.duration} for inference operations, the
 * {@code gen_ai.client.inference.usage.*} counters by {@code gen_ai.token.modality} and the
 * {@code gen_ai.client.inference.operation.*_tokens} histograms; with {@value #LATEST_OPT_IN}/dup both,
 * while dashboards move.
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
  /**
   * The metric keys the call's extractor sets when the call ends; it sets the others when the call starts.
   * Each is read where it is: a lookup of a key that is not there was a third of what building the sets cost.
   */
  private static final List<AttributeKey<?>> KEYS_SET_AT_END = Arrays.<AttributeKey<?>>asList(
      RESPONSE_MODEL, ERROR_TYPE, LlmOtelAttributes.FAULT_INJECTED);
  private static final boolean[] SET_AT_END = new boolean[METRIC_KEYS.size()];

  static {
    for (int i = 0; i < SET_AT_END.length; i++) SET_AT_END[i] = KEYS_SET_AT_END.contains(METRIC_KEYS.get(i));
  }

  static final String LATEST_OPT_IN = "gen_ai_latest_experimental";
  static final String OPT_IN_KEY = "otel.semconv-stability.opt-in";

  /** The metric names recorded: the previous conventions', the latest, or both. */
  enum Names {
    PREVIOUS, LATEST, BOTH;

    boolean previous() {
      return this != LATEST;
    }

    boolean latest() {
      return this != PREVIOUS;
    }

    /** From {@code otel.semconv-stability.opt-in}, a comma-separated list as the agent reads it. */
    static Names fromOptIn(String optIn) {
      if (optIn == null) return PREVIOUS;
      Names names = PREVIOUS;
      for (String value : optIn.split(",")) {
        String v = value.trim();
        if (v.equals(LATEST_OPT_IN + "/dup")) return BOTH;
        if (v.equals(LATEST_OPT_IN)) names = LATEST;
      }
      return names;
    }
  }

  /** Modalities of the usage counters: text, or unknown when no usage came back or media went in. */
  static final String MODALITY_TEXT = "text";
  static final String MODALITY_UNKNOWN = "unknown";
  static final AttributeKey<String> TOKEN_MODALITY = AttributeKey.stringKey("gen_ai.token.modality");

  private final Names names;
  private final DoubleHistogram duration;
  private final LongHistogram tokenUsage;
  private final DoubleHistogram inferenceDuration;
  private final LongCounter usageInput;
  private final LongCounter usageOutput;
  private final LongCounter usageCacheRead;
  private final LongCounter usageCacheWrite;
  private final LongCounter usageReasoning;
  private final LongHistogram operationInputTokens;
  private final LongHistogram operationOutputTokens;
  private final DoubleHistogram timeToFirstChunk;
  private final DoubleHistogram timePerOutputChunk;
  private final DoubleCounter cost;

  static OperationMetrics get() {
    Names names = Names.fromOptIn(LlmOtelConfig.raw(OPT_IN_KEY));
    return meter -> new LlmMetrics(meter, names);
  }

  static OperationMetrics get(Names names) {
    return meter -> new LlmMetrics(meter, names);
  }

  private LlmMetrics(Meter meter, Names names) {
    this.names = names;
    inferenceDuration = meter.histogramBuilder("gen_ai.client.inference.duration")
        .setUnit("s")
        .setDescription("GenAI inference operation duration.")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    usageInput = usageCounter(meter, "input_tokens", "The number of input (prompt) tokens used, including cached tokens.");
    usageOutput = usageCounter(meter, "output_tokens",
        "The number of output (completion) tokens used, including reasoning tokens.");
    usageCacheRead = usageCounter(meter, "cache_read.input_tokens",
        "The number of input tokens served from a provider-managed cache.");
    usageCacheWrite = usageCounter(meter, "cache_write.input_tokens",
        "The number of input tokens written to a provider-managed cache.");
    usageReasoning = usageCounter(meter, "reasoning.output_tokens", "The number of output tokens used for reasoning.");
    operationInputTokens = meter.histogramBuilder("gen_ai.client.inference.operation.input_tokens")
        .ofLongs()
        .setUnit("{token}")
        .setDescription("The number of input (prompt) tokens used per inference operation.")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
    operationOutputTokens = meter.histogramBuilder("gen_ai.client.inference.operation.output_tokens")
        .ofLongs()
        .setUnit("{token}")
        .setDescription("The number of output (completion) tokens used per inference operation.")
        .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
        .build();
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

  private static LongCounter usageCounter(Meter meter, String name, String description) {
    return meter.counterBuilder("gen_ai.client.inference.usage." + name).setUnit("{token}")
        .setDescription(description).build();
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
    AttributeSets sets = attributeSets(state.startAttributes, endAttributes);
    Attributes attributes = sets.base;
    double seconds = (endNanos - state.startNanos) / 1e9;
    Long input = endAttributes.get(USAGE_INPUT_TOKENS);
    Long output = endAttributes.get(USAGE_OUTPUT_TOKENS);
    boolean inference = sets.inference;
    if (names.previous() || !inference) duration.record(seconds, attributes, context);
    if (names.previous()) {
      if (input != null) tokenUsage.record(input, sets.inputTokens(), context);
      if (output != null) tokenUsage.record(output, sets.outputTokens(), context);
    }
    if (names.latest()) {
      if (inference) inferenceDuration.record(seconds, attributes, context);
      recordLatestUsage(context, sets, endAttributes, input, output, inference);
    }
    Double usd = endAttributes.get(LlmOtelAttributes.COST_USD);
    if (usd != null) {
      cost.add(usd, sets.cost(), context);
    }
    Double ttfc = endAttributes.get(RESPONSE_TIME_TO_FIRST_CHUNK);
    if (ttfc != null) {
      Attributes streaming = sets.streaming();
      timeToFirstChunk.record(ttfc, streaming, context);
      LlmCall call = LlmInstrumenter.currentCall(context);
      if (call != null) {
        for (long gap : call.response().chunkGapsNanos()) timePerOutputChunk.record(gap / 1e9, streaming, context);
      }
    }
  }

  /**
   * The latest conventions' token metrics. An inference operation records them even when it failed or
   * no usage came back: 0, with modality {@code unknown} on the counters. Counters carry no error.type.
   */
  private void recordLatestUsage(Context context, AttributeSets sets, Attributes end, Long input, Long output,
      boolean inference) {
    if (input == null && output == null && !inference) return;
    boolean reported = input != null || output != null;
    LlmCall call = LlmInstrumenter.currentCall(context);
    Attributes usage = sets.usage(reported && (call == null || !call.request().hasMedia()));
    long in = input == null ? 0 : input;
    long out = output == null ? 0 : output;
    usageInput.add(in, usage, context);
    usageOutput.add(out, usage, context);
    Long cacheRead = end.get(USAGE_CACHE_READ_INPUT_TOKENS);
    if (cacheRead != null) usageCacheRead.add(cacheRead, usage, context);
    Long cacheWrite = end.get(USAGE_CACHE_WRITE_INPUT_TOKENS);
    if (cacheWrite != null) usageCacheWrite.add(cacheWrite, usage, context);
    Long reasoning = end.get(USAGE_REASONING_OUTPUT_TOKENS);
    if (reasoning != null) usageReasoning.add(reasoning, usage, context);
    if (inference) {
      operationInputTokens.record(in, sets.base, context);
      operationOutputTokens.record(out, sets.base, context);
    }
  }

  /** The attribute sets of a call's metrics, built once per combination of their values. */
  private AttributeSets attributeSets(Attributes start, Attributes end) {
    Object[] values = new Object[METRIC_KEYS.size()];
    for (int i = 0; i < values.length; i++) {
      AttributeKey<?> key = METRIC_KEYS.get(i);
      values[i] = SET_AT_END[i] ? end.get(key) : start.get(key);
    }
    return attributeSets.get(Arrays.asList(values), AttributeSets::new);
  }

  static final int MAX_CACHED_SETS = 2000;
  private final AttributeSetCache<AttributeSets> attributeSets = new AttributeSetCache<>(MAX_CACHED_SETS);

  /** The attribute sets of one combination of metric values: those not every call needs are built on first use. */
  static final class AttributeSets {
    final Attributes base;
    final boolean inference;
    private volatile Attributes inputTokens;
    private volatile Attributes outputTokens;
    private volatile Attributes cost;
    private volatile Attributes streaming;
    private volatile Attributes usageText;
    private volatile Attributes usageUnknown;

    @SuppressWarnings({"unchecked", "rawtypes"})
    AttributeSets(List<Object> values) {
      AttributesBuilder b = Attributes.builder();
      for (int i = 0; i < values.size(); i++) {
        if (values.get(i) != null) b.put((AttributeKey) METRIC_KEYS.get(i), values.get(i));
      }
      base = b.build();
      inference = isInference(base.get(OPERATION_NAME));
    }

    Attributes inputTokens() {
      Attributes a = inputTokens;
      if (a == null) inputTokens = a = base.toBuilder().put(TOKEN_TYPE, GenAiValues.TOKEN_TYPE_INPUT).build();
      return a;
    }

    Attributes outputTokens() {
      Attributes a = outputTokens;
      if (a == null) outputTokens = a = base.toBuilder().put(TOKEN_TYPE, GenAiValues.TOKEN_TYPE_OUTPUT).build();
      return a;
    }

    /** Cost by provider, model and workflow: fewer attributes than the histograms, one series per model. */
    Attributes cost() {
      Attributes a = cost;
      if (a == null) {
        AttributesBuilder b = Attributes.builder();
        putIfPresent(b, base, PROVIDER_NAME);
        putIfPresent(b, base, REQUEST_MODEL);
        putIfPresent(b, base, LlmOtelAttributes.WORKFLOW);
        cost = a = b.build();
      }
      return a;
    }

    /** The streaming metrics carry no error.type: a stream that failed still measured its chunks. */
    Attributes streaming() {
      Attributes a = streaming;
      if (a == null) streaming = a = base.get(ERROR_TYPE) == null ? base : base.toBuilder().remove(ERROR_TYPE).build();
      return a;
    }

    /** The usage counters' set: the modality, and no error.type. */
    Attributes usage(boolean text) {
      Attributes a = text ? usageText : usageUnknown;
      if (a == null) {
        AttributesBuilder counted = base.toBuilder().put(TOKEN_MODALITY, text ? MODALITY_TEXT : MODALITY_UNKNOWN);
        counted.remove(ERROR_TYPE);
        a = counted.build();
        if (text) usageText = a; else usageUnknown = a;
      }
      return a;
    }
  }

  /** The conventions' inference operations: a model generating content, not embeddings or other work. */
  static boolean isInference(String operation) {
    return "chat".equals(operation) || "text_completion".equals(operation) || "generate_content".equals(operation);
  }

  private static void putIfPresent(AttributesBuilder b, Attributes from, AttributeKey<String> key) {
    String v = from.get(key);
    if (v != null) b.put(key, v);
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
