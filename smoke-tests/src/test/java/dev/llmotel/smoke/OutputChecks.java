package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedLogRecord;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What every library's suite checks of output validation, on what the receiver decoded: the verdict
 * on the LLM span, the escalation log record in that span's context (content only with capture on),
 * and the counters by the scenario's workflow (its root span's name).
 */
final class OutputChecks {
  static final String ESCALATION = "llm_otel.escalation";

  private final SmokeRun run;
  private final boolean captureContent;

  OutputChecks(SmokeRun run, boolean captureContent) {
    this.run = run;
    this.captureContent = captureContent;
  }

  /** The scenario's LLM span carries this verdict (and this first violation, or none when null). */
  ReceivedSpan assertVerdict(String scenario, String result, String error) {
    ReceivedSpan span = run.onlyLlmSpan(scenario);
    assertEquals(result, span.attr("llm_otel.output.validation"), scenario + ": " + span.attributes());
    assertEquals(error, span.attr("llm_otel.output.validation.error"), scenario + ": " + span.attributes());
    assertCounted("llm_otel.output.validations", scenario, "llm_otel.output.validation", result);
    return span;
  }

  /** An answer that fits its declared structure: valid, and not escalated. */
  ReceivedSpan assertUsable(String scenario) {
    ReceivedSpan span = assertVerdict(scenario, "valid", null);
    assertNotEscalated(scenario);
    return span;
  }

  /** An answer that does not fit: this verdict and violation, escalated as output_invalid. */
  ReceivedSpan assertUnusable(String scenario, String result, String error) {
    ReceivedSpan span = assertVerdict(scenario, result, error);
    assertEscalated(scenario, "output_invalid");
    return span;
  }

  /** No check ran: the request declared nothing, or the model refused before answering. */
  ReceivedSpan assertNotChecked(String scenario) {
    ReceivedSpan span = run.onlyLlmSpan(scenario);
    assertNull(span.attr("llm_otel.output.validation"), scenario + ": " + span.attributes());
    return span;
  }

  /**
   * The scenario's call was escalated for this reason: the span says so, and exactly one log record
   * with the event name llm_otel.escalation sits in that span's context, naming the reason, the
   * model, the response and the workflow; the messages only when content is captured.
   */
  ReceivedLogRecord assertEscalated(String scenario, String reason) {
    ReceivedSpan span = run.onlyLlmSpan(scenario);
    assertEquals(reason, span.attr("llm_otel.escalation.reason"), scenario + ": " + span.attributes());
    List<ReceivedLogRecord> records = awaitRecords(span, 1);
    assertEquals(1, records.size(), scenario + ": one escalation record in the span's context: " + records);
    ReceivedLogRecord record = records.get(0);
    assertEquals(reason, record.attr("llm_otel.escalation.reason"));
    assertEquals(span.attr("gen_ai.request.model"), record.attr("gen_ai.request.model"));
    assertEquals(span.attr("gen_ai.response.id"), record.attr("gen_ai.response.id"));
    assertEquals("scenario " + scenario, record.attr("llm_otel.workflow"));
    assertEquals(span.attr("llm_otel.prompt.version"), record.attr("llm_otel.prompt.version"));
    assertEquals(span.attr("llm_otel.output.validation.error"), record.attr("llm_otel.output.validation.error"));
    assertEquals(span.scopeName(), record.scope(), "emitted by the instrumentation that made the span");
    if (captureContent) {
      assertTrue(record.hasAttr("gen_ai.input.messages"), "the messages, with capture on: " + record);
    } else {
      assertFalse(record.hasAttr("gen_ai.input.messages"), "no content without capture: " + record);
      assertFalse(record.hasAttr("gen_ai.output.messages"), "no content without capture: " + record);
    }
    assertCounted("llm_otel.escalations", scenario, "llm_otel.escalation.reason", reason);
    return record;
  }

  /** A usable answer: no escalation on the span, no record in its context. */
  void assertNotEscalated(String scenario) {
    ReceivedSpan span = run.onlyLlmSpan(scenario);
    assertNull(span.attr("llm_otel.escalation.reason"), scenario + ": " + span.attributes());
    assertEquals(0, records(span).size(), scenario + ": no escalation record");
  }

  /** The counter has a point of value >= 1 for the scenario's workflow with this attribute value. */
  void assertCounted(String metric, String scenario, String key, String value) {
    assertTrue(run.receiver.awaitMetric(metric, Duration.ofSeconds(10)), "metric " + metric + " exported");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<ReceivedPoint> points = run.receiver.latestPoints(metric).stream()
          .filter(p -> ("scenario " + scenario).equals(p.attr("llm_otel.workflow")) && value.equals(p.attr(key)))
          .collect(Collectors.toList());
      if (!points.isEmpty()) {
        assertTrue(points.get(0).value() >= 1, metric + " " + points);
        assertNotNull(points.get(0).attr("gen_ai.provider.name"));
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(metric + " has no point for " + scenario + " with " + key + "=" + value + ": "
            + run.receiver.latestPoints(metric));
      }
      sleep();
    }
  }

  private List<ReceivedLogRecord> records(ReceivedSpan span) {
    return run.receiver.logRecords(ESCALATION).stream()
        .filter(r -> r.traceId().equals(span.traceId()) && r.spanId().equals(span.spanId()))
        .collect(Collectors.toList());
  }

  /**
   * The escalation records in the span's context. Log records leave in their own batches: waits until
   * at least {@code atLeast} are in (or the time is up).
   */
  List<ReceivedLogRecord> awaitRecords(ReceivedSpan span, int atLeast) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ReceivedLogRecord> found = records(span);
    while (found.size() < atLeast && System.nanoTime() < deadline) {
      sleep();
      found = records(span);
    }
    return found;
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
