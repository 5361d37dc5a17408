package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.semconv.GenAiAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The metric names chosen by {@code otel.semconv-stability.opt-in}: the previous conventions' by default,
 * the latest with gen_ai_latest_experimental, both with its /dup form.
 */
class LlmMetricsNamesTest {
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();

  @AfterEach
  void clear() {
    System.clearProperty(LlmMetrics.OPT_IN_KEY);
  }

  private LlmInstrumenter instrumenter(String optIn) {
    if (optIn != null) System.setProperty(LlmMetrics.OPT_IN_KEY, optIn);
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    return LlmInstrumenter.create(sdk, "test-scope", "1.2.3");
  }

  private static LlmCall call(String operation) {
    return new LlmCall("openai", operation).request().requestModel("gpt-4o-mini").server("https://api.openai.com/v1")
        .call();
  }

  /** A chat that answers with usage (25 in, 5 of them cached; 7 out), a chat that fails, and an embedding. */
  private Set<String> runThreeCalls(LlmInstrumenter instrumenter) {
    LlmCall ok = call("chat");
    Context c = instrumenter.start(Context.root(), ok);
    ok.response().usage(25L, 7L).cacheUsage(5L, null);
    instrumenter.end(c, ok, null);
    LlmCall failed = call("chat");
    c = instrumenter.start(Context.root(), failed);
    instrumenter.end(c, failed, new IOException("reset"));
    LlmCall embedding = call("embeddings");
    c = instrumenter.start(Context.root(), embedding);
    embedding.response().usage(11L, null);
    instrumenter.end(c, embedding, null);
    Set<String> names = new TreeSet<>();
    for (MetricData m : collected()) {
      if (m.getName().startsWith("gen_ai.client.")) names.add(m.getName());
    }
    return names;
  }

  private Collection<MetricData> collected;

  private Collection<MetricData> collected() {
    if (collected == null) collected = metrics.collectAllMetrics();
    return collected;
  }

  private MetricData metric(String name) {
    for (MetricData m : collected()) {
      if (m.getName().equals(name)) return m;
    }
    throw new AssertionError("no metric " + name);
  }

  @Test
  void byDefaultThePreviousNamesWhichDashboardsAndTheAgentsOwnInstrumentationsUse() {
    Set<String> names = runThreeCalls(instrumenter(null));
    assertEquals(new TreeSet<>(List.of("gen_ai.client.operation.duration", "gen_ai.client.token.usage")), names);
    assertEquals(3, count(metric("gen_ai.client.operation.duration")));
  }

  @Test
  void withTheOptInTheLatestConventionsNames() {
    Set<String> names = runThreeCalls(instrumenter("http, gen_ai_latest_experimental"));
    assertEquals(new TreeSet<>(List.of("gen_ai.client.inference.duration", "gen_ai.client.operation.duration",
        "gen_ai.client.inference.usage.input_tokens", "gen_ai.client.inference.usage.output_tokens",
        "gen_ai.client.inference.usage.cache_read.input_tokens",
        "gen_ai.client.inference.operation.input_tokens", "gen_ai.client.inference.operation.output_tokens")), names);
    // Inference operations are timed by the inference metric only; the embedding keeps the operation metric.
    assertEquals(2, count(metric("gen_ai.client.inference.duration")));
    assertEquals(1, count(metric("gen_ai.client.operation.duration")));
    assertEquals("embeddings", only(metric("gen_ai.client.operation.duration")).get(GenAiAttributes.OPERATION_NAME));

    // Counters: what was reported, by modality; the failed call adds 0 as unknown; no error.type.
    List<LongPointData> input = longPoints(metric("gen_ai.client.inference.usage.input_tokens"));
    long chatText = 0;
    boolean unknownSeen = false;
    for (LongPointData p : input) {
      assertEquals(null, p.getAttributes().get(GenAiAttributes.ERROR_TYPE));
      String modality = p.getAttributes().get(LlmMetrics.TOKEN_MODALITY);
      String operation = p.getAttributes().get(GenAiAttributes.OPERATION_NAME);
      if ("text".equals(modality) && "chat".equals(operation)) chatText += p.getValue();
      if ("unknown".equals(modality)) {
        unknownSeen = true;
        assertEquals(0, p.getValue());
      }
    }
    assertEquals(25, chatText);
    assertTrue(unknownSeen, "the failed call is recorded with 0 and modality unknown: " + input);
    assertEquals(5, longPoints(metric("gen_ai.client.inference.usage.cache_read.input_tokens")).get(0).getValue());

    // Histograms per inference operation: both chats, the failed one with its error.type and 0.
    List<HistogramPointData> perCall = histogramPoints(metric("gen_ai.client.inference.operation.input_tokens"));
    assertEquals(2, perCall.stream().mapToLong(HistogramPointData::getCount).sum());
    HistogramPointData failed = perCall.stream().filter(p -> p.getAttributes().get(GenAiAttributes.ERROR_TYPE) != null)
        .findFirst().orElseThrow(AssertionError::new);
    assertEquals("java.io.IOException", failed.getAttributes().get(GenAiAttributes.ERROR_TYPE));
    assertEquals(0.0, failed.getSum());
    assertEquals(LlmMetrics.TOKEN_BUCKETS.size(), failed.getBoundaries().size());
  }

  @Test
  void withDupBothWhileDashboardsMove() {
    Set<String> names = runThreeCalls(instrumenter("gen_ai_latest_experimental/dup"));
    assertTrue(names.contains("gen_ai.client.token.usage"));
    assertTrue(names.contains("gen_ai.client.inference.usage.input_tokens"));
    assertEquals(2, count(metric("gen_ai.client.inference.duration")));
    assertEquals(3, count(metric("gen_ai.client.operation.duration")), "every call, as before, and once each");
  }

  @Test
  void anUnrelatedOptInChangesNothing() {
    assertEquals(LlmMetrics.Names.PREVIOUS, LlmMetrics.Names.fromOptIn("database/dup,gen_ai_latest"));
    assertEquals(LlmMetrics.Names.PREVIOUS, LlmMetrics.Names.fromOptIn(""));
    assertEquals(LlmMetrics.Names.LATEST, LlmMetrics.Names.fromOptIn(" gen_ai_latest_experimental "));
    assertFalse(LlmMetrics.Names.fromOptIn(null).latest());
  }

  private static long count(MetricData m) {
    return histogramPoints(m).stream().mapToLong(HistogramPointData::getCount).sum();
  }

  private static Attributes only(MetricData m) {
    List<HistogramPointData> points = histogramPoints(m);
    assertEquals(1, points.size(), points.toString());
    return points.get(0).getAttributes();
  }

  private static List<HistogramPointData> histogramPoints(MetricData m) {
    return new ArrayList<>(m.getHistogramData().getPoints());
  }

  private static List<LongPointData> longPoints(MetricData m) {
    return new ArrayList<>(m.getLongSumData().getPoints());
  }
}
