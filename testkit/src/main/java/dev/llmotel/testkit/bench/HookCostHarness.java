package dev.llmotel.testkit.bench;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * What the SDK modules' hook-cost benchmarks share: a real OpenTelemetry SDK whose exporters drop
 * everything (batched spans, periodic metrics), the rounds of warm-up and measurement with the
 * bytes the thread allocated, and the one line each prints for {@code benchmarks/run.sh}'s table.
 */
public final class HookCostHarness {
  /** Calls per warm-up and per measured round ({@code -Dllm-otel.benchmark.calls}, for calls that cost milliseconds). */
  static final int WARMUP = Integer.getInteger("llm-otel.benchmark.calls", 200_000);
  static final int MEASURED = WARMUP;
  static final int ROUNDS = 7;
  public static final int STREAM_CHUNKS = 1000;
  static final int STREAMS = 500;

  private final double[] nanos = new double[ROUNDS];
  private final double[] bytes = new double[ROUNDS];
  private final double[] chunkNanos = new double[ROUNDS];

  /** Registers the SDK globally, as the agent does, so the instrumenters under test use it. */
  public static OpenTelemetrySdk droppingSdk() {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new DroppingSpans()).build()).build())
        .setMeterProvider(SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(new DroppingMetrics())
                .setInterval(Duration.ofSeconds(10)).build()).build())
        .buildAndRegisterGlobal();
  }

  /** Time and bytes per call of the hooks around one non-streaming call. */
  public void measureCalls(Runnable oneCall) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int round = 0; round < ROUNDS; round++) {
      repeat(oneCall, WARMUP);
      long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      long start = System.nanoTime();
      repeat(oneCall, MEASURED);
      nanos[round] = (System.nanoTime() - start) / (double) MEASURED;
      bytes[round] = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore)
          / (double) MEASURED;
    }
  }

  /**
   * Time per chunk the stream wrapper adds: the same {@link #STREAM_CHUNKS} chunks already in memory
   * read bare, then through the hooks.
   */
  public void measureChunks(Runnable bareStream, Runnable tracedStream) {
    for (int round = 0; round < ROUNDS; round++) {
      double bare = 0;
      double traced = 0;
      for (int i = 0; i < STREAMS; i++) {
        long start = System.nanoTime();
        bareStream.run();
        long middle = System.nanoTime();
        tracedStream.run();
        long end = System.nanoTime();
        bare += middle - start;
        traced += end - middle;
      }
      chunkNanos[round] = (traced - bare) / STREAMS / STREAM_CHUNKS;
    }
  }

  /** The line benchmarks/run.sh collects into its table. */
  public void print(String label) {
    System.out.printf(Locale.ROOT, "HOOK_COST | %s | %.2f | %.2f | %.3f | %s |%n", label, median(nanos) / 1000.0,
        median(bytes) / 1024.0, median(chunkNanos) / 1000.0,
        Arrays.toString(Arrays.stream(nanos).mapToLong(Math::round).toArray()));
  }

  private static void repeat(Runnable call, int times) {
    for (int i = 0; i < times; i++) call.run();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static final class DroppingSpans implements SpanExporter {
    @Override public CompletableResultCode export(Collection<SpanData> spans) { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
  }

  private static final class DroppingMetrics implements MetricExporter {
    @Override public CompletableResultCode export(Collection<MetricData> metrics) { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    @Override public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
  }
}
