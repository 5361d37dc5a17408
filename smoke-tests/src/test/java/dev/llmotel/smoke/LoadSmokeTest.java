package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * 64 application threads make chat calls (a third blocking, async and streamed) under the agent
 * with llm-otel. Counted at the receiver: exactly one LLM span per call, under its worker's span,
 * with the usage the app itself read. The span queue is sized so that nothing is dropped, and the
 * agent's own dropped-span count proves that nothing was.
 *
 * <p>64 × 1,000 calls (64,000) take about 45 s on the 2-core machine, warm-up included (about 1,400
 * calls per second): every thread still runs against every shared structure for the whole run, and every
 * count is exact. {@code -Dsmoke.load.calls=N} sets another number of calls per thread.
 */
class LoadSmokeTest {
  static final int THREADS = 64;
  static final int CALLS = Integer.getInteger("smoke.load.calls", 1_000);

  @Test
  void everyCallOfSixtyFourBusyThreadsHasExactlyOneSpanWithItsUsage() throws Exception {
    try (FakeLlmServer llm = FakeLlmServer.start(0); OtlpReceiver receiver = OtlpReceiver.start()) {
      llm.setRecording(false);
      receiver.retainOnly(s -> s.name().startsWith("load worker"));
      LongAdder llmSpans = new LongAdder();
      LongAdder streamed = new LongAdder();
      LongAdder inputTokens = new LongAdder();
      LongAdder outputTokens = new LongAdder();
      Map<String, LongAdder> byParent = new ConcurrentHashMap<>();
      Set<String> spanIds = ConcurrentHashMap.newKeySet();
      LongAdder duplicates = new LongAdder();
      receiver.onSpan(span -> {
        if (!span.hasAttr("gen_ai.operation.name")) return;
        llmSpans.increment();
        if (!spanIds.add(span.spanId())) duplicates.increment();
        byParent.computeIfAbsent(span.parentSpanId(), p -> new LongAdder()).increment();
        if (Boolean.TRUE.equals(span.attributes().get("gen_ai.request.stream"))) streamed.increment();
        Long in = span.longAttr("gen_ai.usage.input_tokens");
        Long out = span.longAttr("gen_ai.usage.output_tokens");
        if (in != null) inputTokens.add(in);
        if (out != null) outputTokens.add(out);
      });

      Map<String, String> props = new HashMap<>();
      props.put("-Xmx1g", "");
      props.put("-XX:TieredStopAtLevel=4", ""); // a long, hot run: the full JIT, not the smoke apps' C1 alone
      // Sized so that no span is dropped: the test proves that drops would be counted, and that none occur.
      props.put("otel.bsp.max.queue.size", "200000");
      props.put("otel.bsp.max.export.batch.size", "4096");
      props.put("otel.bsp.schedule.delay", "100");
      // The HTTP client spans under each LLM span are the agent's, not ours: left out to halve the volume.
      props.put("otel.instrumentation.okhttp.enabled", "false");
      props.put("otel.javaagent.debug", "false");
      List<String> args = Arrays.asList(llm.baseUrl() + "/v1", String.valueOf(THREADS), String.valueOf(CALLS), "200");
      long started = System.nanoTime();
      LoadApp load = new LoadApp(AgentApp.run("load", System.getProperty("java.home"),
          AgentApp.appClasspath("openai-app-newest"), LoadApp.MAIN, receiver.endpoint(), props, args, 1200));
      long expected = (long) THREADS * CALLS;
      waitFor(() -> llmSpans.sum() >= expected && receiver.spans().size() >= THREADS, Duration.ofSeconds(60));
      receiver.awaitMetric("gen_ai.client.operation.duration", Duration.ofSeconds(5));

      System.out.printf("LOAD RESULT calls=%d llm_spans_received=%d all_spans_received=%d dropped=%d "
              + "app=%s wall_seconds=%.0f%n", expected, llmSpans.sum(), receiver.spansReceived(),
          droppedSpans(receiver), load, (System.nanoTime() - started) / 1e9);
      assertEquals(0, load.app.exitCode, load.toString());
      assertEquals(expected, load.count("ok"), load.toString());
      assertEquals(expected, llmSpans.sum(), "one LLM span per call");
      assertEquals(0, duplicates.sum(), "no span was sent twice");
      assertEquals(expected / CALLS * (CALLS / 3), streamed.sum(), "every third call of each worker streamed");
      List<ReceivedSpan> workers = receiver.spans();
      assertEquals(THREADS, workers.size());
      for (ReceivedSpan worker : workers) {
        LongAdder children = byParent.get(worker.spanId());
        assertEquals(CALLS, children == null ? 0 : children.sum(), "LLM spans under " + worker.name());
      }
      assertEquals(load.count("input_tokens"), inputTokens.sum(), "the usage the app read, summed over spans");
      assertEquals(load.count("output_tokens"), outputTokens.sum());
      assertEquals(0, droppedSpans(receiver), "the agent's span processor dropped nothing");
    }
  }

  /**
   * Spans the agent's batch span processor dropped, from its own metrics (legacy form: processedSpans
   * with dropped=true; semconv form: otel.sdk.processor.span.processed with an error.type).
   */
  static long droppedSpans(OtlpReceiver receiver) {
    List<ReceivedPoint> legacy = receiver.latestPoints("processedSpans");
    List<ReceivedPoint> semconv = receiver.latestPoints("otel.sdk.processor.span.processed");
    assertFalse(legacy.isEmpty() && semconv.isEmpty(),
        "the agent reports its span processor's counts; metrics seen: " + receiver.metricNames());
    long dropped = 0;
    for (ReceivedPoint p : legacy) {
      if (Boolean.TRUE.equals(p.attributes().get("dropped"))) dropped += p.longValue();
    }
    for (ReceivedPoint p : semconv) {
      if (p.attributes().get("error.type") != null) dropped += p.longValue();
    }
    return dropped;
  }

  static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(100);
  }
}
