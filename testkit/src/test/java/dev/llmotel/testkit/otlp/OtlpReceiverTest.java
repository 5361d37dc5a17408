package dev.llmotel.testkit.otlp;

import static dev.llmotel.testkit.otlp.OtlpTestData.id;
import static dev.llmotel.testkit.otlp.OtlpTestData.kv;
import static dev.llmotel.testkit.otlp.OtlpTestData.kvStrings;
import static dev.llmotel.testkit.otlp.OtlpTestData.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String ROOT = "00f067aa0ba902b7";
  static final String CHILD = "b7ad6b7169203331";
  static final String OTHER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String OTHER_SPAN = "53995c3f42cd8ad8";

  private OtlpReceiver receiver;

  @BeforeEach
  void start() {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  static ExportTraceServiceRequest traceRequest(String secret) {
    Span root =
        Span.newBuilder()
            .setTraceId(id(TRACE))
            .setSpanId(id(ROOT))
            .setName("agent-run")
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(1_000_000_000L)
            .setEndTimeUnixNano(1_812_000_000L)
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK))
            .build();
    Span child =
        Span.newBuilder()
            .setTraceId(id(TRACE))
            .setSpanId(id(CHILD))
            .setParentSpanId(id(ROOT))
            .setName("chat gpt-4o-mini")
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .setStartTimeUnixNano(1_010_000_000L)
            .setEndTimeUnixNano(1_130_000_000L)
            .addAttributes(kv("gen_ai.request.model", "gpt-4o-mini"))
            .addAttributes(kv("gen_ai.usage.input_tokens", 25L))
            .addAttributes(kv("llm_otel.cost.usd", 0.000123))
            .addAttributes(kv("gen_ai.request.stream", true))
            .addAttributes(kvStrings("gen_ai.response.finish_reasons", "tool_calls", "stop"))
            .addAttributes(kv("secret.carrier", secret))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("llm_otel.attempt.failed")
                    .setTimeUnixNano(1_050_000_000L)
                    .addAttributes(kv("http.response.status_code", 429L)))
            .addEvents(Span.Event.newBuilder().setName("other").setTimeUnixNano(1_060_000_000L))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(id(OTHER_TRACE))
                    .setSpanId(id(OTHER_SPAN))
                    .addAttributes(kv("link.kind", "cause")))
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("rate limited"))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "demo-svc")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("llm-otel").setVersion("0.1.0"))
                        .addSpans(root)
                        .addSpans(child)))
        .build();
  }

  @Test
  void decodesSpansFromPlainProtobuf() throws Exception {
    HttpResponse<byte[]> resp = post(receiver, "/v1/traces", traceRequest("s3cr3t").toByteArray(), false);
    assertEquals(200, resp.statusCode());
    assertEquals("application/x-protobuf", resp.headers().firstValue("Content-Type").orElse(""));
    assertEquals(ExportTraceServiceResponse.getDefaultInstance(), ExportTraceServiceResponse.parseFrom(resp.body()));

    List<ReceivedSpan> spans = receiver.spans();
    assertEquals(2, spans.size());
    ReceivedSpan root = spans.get(0);
    ReceivedSpan child = spans.get(1);

    assertEquals(TRACE, root.traceId());
    assertEquals(ROOT, root.spanId());
    assertEquals("", root.parentSpanId());
    assertTrue(root.isRoot());
    assertEquals("INTERNAL", root.kind());
    assertEquals("OK", root.statusCode());
    assertEquals(1_000_000_000L, root.startEpochNanos());
    assertEquals(1_812_000_000L, root.endEpochNanos());
    assertEquals("demo-svc", root.resourceAttributes().get("service.name"));
    assertEquals("llm-otel", root.scopeName());
    assertEquals("0.1.0", root.scopeVersion());

    assertEquals(CHILD, child.spanId());
    assertEquals(ROOT, child.parentSpanId());
    assertEquals("CLIENT", child.kind());
    assertEquals("ERROR", child.statusCode());
    assertEquals("rate limited", child.statusMessage());
    assertEquals("gpt-4o-mini", child.attr("gen_ai.request.model"));
    assertEquals(25L, child.attributes().get("gen_ai.usage.input_tokens"));
    assertEquals(Long.valueOf(25), child.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(0.000123, child.doubleAttr("llm_otel.cost.usd"), 1e-12);
    assertEquals(Boolean.TRUE, child.attributes().get("gen_ai.request.stream"));
    assertEquals(Arrays.asList("tool_calls", "stop"), child.attributes().get("gen_ai.response.finish_reasons"));
    assertEquals("tool_calls,stop", child.attr("gen_ai.response.finish_reasons"));
    assertTrue(child.hasAttr("gen_ai.request.stream"));
    assertFalse(child.hasAttr("nope"));
    assertNull(child.attr("nope"));
    assertNull(child.longAttr("nope"));

    assertEquals(2, child.events().size());
    List<ReceivedEvent> failed = child.events("llm_otel.attempt.failed");
    assertEquals(1, failed.size());
    assertEquals(1_050_000_000L, failed.get(0).timeEpochNanos());
    assertEquals(429L, failed.get(0).attributes().get("http.response.status_code"));

    assertEquals(1, child.links().size());
    assertEquals(OTHER_TRACE, child.links().get(0).traceId());
    assertEquals(OTHER_SPAN, child.links().get(0).spanId());
    assertEquals("cause", child.links().get(0).attributes().get("link.kind"));

    assertEquals(Collections.singletonList(child), receiver.children(root));
    assertEquals(root, receiver.parent(child).orElseThrow());
    assertTrue(receiver.parent(root).isEmpty());
    assertEquals(2, receiver.trace(TRACE).size());
    assertTrue(receiver.trace(OTHER_TRACE).isEmpty());
    assertEquals(1, receiver.spans(s -> s.kind().equals("CLIENT")).size());
    assertTrue(child.toString().contains("chat gpt-4o-mini"));
  }

  @Test
  void decodesGzipAndScansRawBytes() throws Exception {
    byte[] body = traceRequest("sk-test-SECRET-123").toByteArray();
    HttpResponse<byte[]> resp = post(receiver, "/v1/traces", body, true);
    assertEquals(200, resp.statusCode());
    assertEquals(2, receiver.spans().size());
    assertEquals("sk-test-SECRET-123", receiver.spans().get(1).attr("secret.carrier"));
    assertTrue(receiver.rawBytesContain("sk-test-SECRET-123"));
    assertFalse(receiver.rawBytesContain("sk-test-OTHER"));
    assertEquals(body.length, receiver.totalRawBytes());
    assertEquals(1, receiver.requestCount());
    assertTrue(receiver.errors().isEmpty());

    receiver.clear();
    assertTrue(receiver.spans().isEmpty());
    assertFalse(receiver.rawBytesContain("sk-test-SECRET-123"));
    assertEquals(0, receiver.totalRawBytes());
  }

  private static NumberDataPoint intPoint(String model, long value, long time) {
    return NumberDataPoint.newBuilder()
        .addAttributes(kv("gen_ai.request.model", model))
        .setStartTimeUnixNano(1)
        .setTimeUnixNano(time)
        .setAsInt(value)
        .build();
  }

  private static ExportMetricsServiceRequest metricsRequest(long time, long countA, long countB, long histCount) {
    Metric sum =
        Metric.newBuilder()
            .setName("gen_ai.client.token.usage.total")
            .setDescription("tokens")
            .setUnit("{token}")
            .setSum(
                Sum.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .setIsMonotonic(true)
                    .addDataPoints(intPoint("a", countA, time))
                    .addDataPoints(intPoint("b", countB, time)))
            .build();
    Metric hist =
        Metric.newBuilder()
            .setName("gen_ai.client.operation.duration")
            .setUnit("s")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .addAttributes(kv("gen_ai.operation.name", "chat"))
                            .setTimeUnixNano(time)
                            .setCount(histCount)
                            .setSum(histCount * 0.5)
                            .addAllExplicitBounds(Arrays.asList(0.1, 1.0))
                            .addAllBucketCounts(Arrays.asList(0L, histCount, 0L))))
            .build();
    Metric gauge =
        Metric.newBuilder()
            .setName("budget.remaining")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(time).setAsDouble(2.5)))
            .build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "demo-svc")))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("llm-otel"))
                        .addMetrics(sum)
                        .addMetrics(hist)
                        .addMetrics(gauge)))
        .build();
  }

  @Test
  void decodesMetricsAndPicksLatestCumulativePoints() throws Exception {
    assertEquals(200, post(receiver, "/v1/metrics", metricsRequest(100, 1, 10, 1).toByteArray(), false).statusCode());
    assertEquals(200, post(receiver, "/v1/metrics", metricsRequest(200, 3, 30, 4).toByteArray(), true).statusCode());
    assertTrue(receiver.awaitMetric("gen_ai.client.token.usage.total", Duration.ofSeconds(1)));

    List<ReceivedMetric> sums = receiver.metrics("gen_ai.client.token.usage.total");
    assertEquals(2, sums.size());
    ReceivedMetric first = sums.get(0);
    assertEquals("SUM", first.type());
    assertEquals("CUMULATIVE", first.temporality());
    assertTrue(first.isMonotonic());
    assertEquals("{token}", first.unit());
    assertEquals("tokens", first.description());
    assertEquals("llm-otel", first.scopeName());
    assertEquals(2, first.points().size());
    assertFalse(first.points().get(0).isDouble());
    assertEquals(1.0, first.points().get(0).value());

    List<ReceivedPoint> latest = receiver.latestPoints("gen_ai.client.token.usage.total");
    assertEquals(2, latest.size());
    assertEquals("a", latest.get(0).attr("gen_ai.request.model"));
    assertEquals(3.0, latest.get(0).value());
    assertEquals("b", latest.get(1).attr("gen_ai.request.model"));
    assertEquals(30L, latest.get(1).longValue());

    List<ReceivedPoint> hist = receiver.latestPoints("gen_ai.client.operation.duration");
    assertEquals(1, hist.size());
    assertEquals("HISTOGRAM", receiver.metrics("gen_ai.client.operation.duration").get(0).type());
    assertEquals(4L, hist.get(0).count());
    assertEquals(2.0, hist.get(0).sum());
    assertEquals(Arrays.asList(0.1, 1.0), hist.get(0).explicitBounds());
    assertEquals(Arrays.asList(0L, 4L, 0L), hist.get(0).bucketCounts());
    assertEquals(Map.of("gen_ai.operation.name", "chat"), hist.get(0).attributes());

    ReceivedMetric gauge = receiver.metrics("budget.remaining").get(0);
    assertEquals("GAUGE", gauge.type());
    assertTrue(gauge.points().get(0).isDouble());
    assertEquals(2.5, gauge.points().get(0).value());

    assertEquals(
        Arrays.asList("gen_ai.client.token.usage.total", "gen_ai.client.operation.duration", "budget.remaining"),
        receiver.metricNames());
    assertTrue(receiver.latestPoints("missing").isEmpty());
    assertTrue(receiver.rawBytesContain("gen_ai.client.operation.duration"));
  }

  @Test
  void latestPointPrefersNewerTimestampOverArrivalOrder() throws Exception {
    post(receiver, "/v1/metrics", metricsRequest(200, 3, 30, 4).toByteArray(), false);
    post(receiver, "/v1/metrics", metricsRequest(100, 1, 10, 1).toByteArray(), false);
    assertEquals(3.0, receiver.latestPoints("gen_ai.client.token.usage.total").get(0).value());
  }

  @Test
  void collectsLogBodies() throws Exception {
    ExportLogsServiceRequest logs =
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .addScopeLogs(
                        ScopeLogs.newBuilder()
                            .addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("hello")))
                            .addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setIntValue(42)))))
            .build();
    assertEquals(200, post(receiver, "/v1/logs", logs.toByteArray(), true).statusCode());
    assertEquals(Arrays.asList("hello", "42"), receiver.logBodies());
  }

  @Test
  void rejectsUnknownPathsAndGarbage() throws Exception {
    assertEquals(404, post(receiver, "/v1/other", new byte[] {1, 2}, false).statusCode());
    assertEquals(400, post(receiver, "/v1/traces", new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}, false).statusCode());
    assertEquals(1, receiver.errors().size());
    assertTrue(receiver.spans().isEmpty());
  }

  @Test
  void awaitSpansReturnsWhatItHasAtTimeoutAndWakesOnArrival() throws Exception {
    long t0 = System.nanoTime();
    assertTrue(receiver.awaitSpans(s -> true, 1, Duration.ofMillis(100)).isEmpty());
    assertTrue(System.nanoTime() - t0 >= 90_000_000L);

    List<ReceivedSpan> heard = new CopyOnWriteArrayList<>();
    receiver.onSpan(heard::add);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> posts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        posts.add(pool.submit(() -> post(receiver, "/v1/traces", traceRequest("x").toByteArray(), true).statusCode()));
      }
      List<ReceivedSpan> got = receiver.awaitSpans(s -> s.kind().equals("CLIENT"), 8, Duration.ofSeconds(10));
      assertEquals(8, got.size());
      for (Future<Integer> f : posts) {
        assertEquals(200, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(16, receiver.spans().size());
    assertEquals(16, heard.size());
  }
}
