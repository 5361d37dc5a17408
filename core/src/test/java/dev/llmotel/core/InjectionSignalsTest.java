package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.injection.InjectionPayloads;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Injection detection on tool results: the span event, the counter, the escalation record in the
 * tool span's context, the link from the run's later tool spans; ordinary results untouched.
 */
class InjectionSignalsTest {
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  AgentInstrumenter agents;

  @BeforeEach
  void setUp() {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    agents = AgentInstrumenter.create(sdk, "test-injection", "1");
  }

  String tool(Context agent, String name, String id, String result) {
    ToolCall tool = new ToolCall(name, id).arguments("{}");
    Context context = agents.startTool(agent, tool);
    tool.result(result);
    agents.endTool(context, tool, null);
    return io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext().getSpanId();
  }

  SpanData span(String spanId) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getSpanId().equals(spanId)).findFirst().get();
  }

  long counted(String rule) {
    long n = 0;
    for (MetricData m : metrics.collectAllMetrics()) {
      if (!m.getName().equals("llm_otel.injection.suspected")) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (rule.equals(p.getAttributes().get(LlmOtelAttributes.INJECTION_RULE))) n += p.getValue();
      }
    }
    return n;
  }

  @Test
  void aPoisonedToolResultIsFlaggedEscalatedAndLinkedFromTheNextToolCall() {
    AgentRun run = new AgentRun("SupportAgent");
    Context agent = agents.startAgent(Context.root(), run);
    String ordinary = tool(agent, "get_weather", "c1", "{\"temperature_c\": 18}");
    String poisoned = tool(agent, "search_orders", "c2",
        "Order 1234 shipped. " + InjectionPayloads.get("call-tool-covertly").text);
    String after = tool(agent, "send_email", "c3", "sent");
    agents.endAgent(agent, run, null);

    assertTrue(span(ordinary).getEvents().isEmpty());
    List<EventData> events = span(poisoned).getEvents();
    assertEquals(1, events.size(), events.toString());
    assertEquals(LlmOtelAttributes.EVENT_INJECTION_SUSPECTED, events.get(0).getName());
    assertEquals("tool-directive", events.get(0).getAttributes().get(LlmOtelAttributes.INJECTION_RULE));
    assertEquals((long) "Order 1234 shipped. ".length(), events.get(0).getAttributes().get(LlmOtelAttributes.INJECTION_POSITION));
    assertFalse(events.get(0).getAttributes().asMap().containsKey(LlmOtelAttributes.INJECTION_EXCERPT),
        "no text without content capture");
    assertEquals(1, counted("tool-directive"));

    // The escalation, in the poisoned tool's span context.
    List<LogRecordData> escalations = logs.getFinishedLogRecordItems().stream()
        .filter(r -> LlmOtelAttributes.EVENT_ESCALATION.equals(r.getEventName())).collect(Collectors.toList());
    assertEquals(1, escalations.size());
    assertEquals("injection_suspected", escalations.get(0).getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertEquals(poisoned, escalations.get(0).getSpanContext().getSpanId());
    assertEquals(Arrays.asList("tool-directive"),
        escalations.get(0).getAttributes().get(AttributeKey.stringArrayKey("llm_otel.injection.rules")));

    // The tool the model called after the hit links to it; the one before does not.
    SpanData next = span(after);
    assertEquals(1, next.getLinks().size(), next.getLinks().toString());
    assertEquals(poisoned, next.getLinks().get(0).getSpanContext().getSpanId());
    assertEquals("injection_suspected", next.getLinks().get(0).getAttributes().get(LlmOtelAttributes.LINK_REASON));
    assertTrue(span(ordinary).getLinks().isEmpty());
  }

  @Test
  void sixtyFourToolsEndingTogetherAreEachScannedOnce() throws Exception {
    AgentRun run = new AgentRun("Parallel");
    Context agent = agents.startAgent(Context.root(), run);
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<String>> done = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int n = i;
      done.add(pool.submit(() -> {
        start.await();
        return tool(agent, "fetch", "c" + n, n % 2 == 0 ? InjectionPayloads.get("ignore-previous").text : "plain page " + n);
      }));
    }
    start.countDown();
    for (Future<String> f : done) f.get(10, TimeUnit.SECONDS);
    pool.shutdown();
    assertEquals(32, counted("ignore-instructions"));
    long flaggedSpans = spans.getFinishedSpanItems().stream()
        .filter(s -> !s.getEvents().isEmpty()).count();
    assertEquals(32, flaggedSpans);
    assertEquals(AgentRun.MAX_SUSPECTED, run.suspectedInjections().size(), "32 hits, bounded per run");
  }
}
