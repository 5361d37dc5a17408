package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.common.AttributeKey;
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
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whether an answer can be used, end to end through the instrumenter: the verdict on the span, the
 * output_validation policy in each mode, and the escalation of every kind of unusable answer as a
 * log record in the call's span context, with its counters.
 */
class OutputReviewTest {
  static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
      + "\"required\":[\"city\"],\"additionalProperties\":false}";

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  LlmInstrumenter instrumenter;

  @BeforeEach
  void sdk() {
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    instrumenter = LlmInstrumenter.create(sdk, "test-output", "1");
    policy(PolicySettings.Mode.OFF);
  }

  @AfterEach
  void restore() {
    Governance.install(null);
  }

  static void policy(PolicySettings.Mode mode) {
    PolicySettings s = new PolicySettings();
    s.outputValidationMode = mode;
    Governance.install(GovernanceSettlementTest.governance(s));
  }

  static LlmCall structured(OutputContract contract) {
    LlmCall call = GovernanceSettlementTest.call("gpt-4o-mini", 100);
    call.request().outputContract(contract);
    return call;
  }

  /** Starts the call as an SDK module does, maps the answer, ends it; returns what the app would get thrown. */
  Throwable run(LlmCall call, String answer, String... finishReasons) {
    Object state = instrumenter.startSdkCall(call, d -> new IllegalStateException("sdk: " + d.exceptionMessage()));
    call.response().answerText(0, answer);
    for (String f : finishReasons) call.response().addFinishReason(f);
    LlmScope scope = (LlmScope) state;
    instrumenter.end(scope, null, null, null);
    return CallRefusal.thrown(state, null);
  }

  SpanData span() {
    List<SpanData> finished = spans.getFinishedSpanItems();
    return finished.get(finished.size() - 1);
  }

  @Test
  void aValidAnswerIsMarkedValidAndNotEscalated() {
    assertNull(run(structured(OutputContract.schema(SCHEMA)), "{\"city\":\"Paris\"}", "stop"));
    assertEquals("valid", span().getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));
    assertNull(span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertTrue(logs.getFinishedLogRecordItems().isEmpty());
    assertEquals(1, count("llm_otel.output.validations", "valid"));
  }

  @Test
  void nothingRunsForARequestThatDeclaresNothing() {
    LlmCall call = GovernanceSettlementTest.call("gpt-4o-mini", 100);
    assertNull(run(call, "just text", "stop"));
    assertNull(call.response().answerForValidation(), "no answer is kept");
    assertNull(span().getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));
    assertTrue(metrics.collectAllMetrics().stream().noneMatch(m -> m.getName().equals("llm_otel.output.validations")));
  }

  @Test
  void anInvalidAnswerIsEscalatedInItsSpanContextWithoutContentAndPassesThroughWhenThePolicyIsOff() {
    assertNull(run(structured(OutputContract.schema(SCHEMA)), "{\"town\":\"SECRET-ANSWER\"}", "stop"));
    SpanData span = span();
    assertEquals("invalid", span.getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));
    assertEquals("$: required", span.getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION_ERROR));
    assertEquals("output_invalid", span.getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertNull(span.getAttributes().get(LlmOtelAttributes.POLICY_NAME), "the policy is off");

    LogRecordData record = logs.getFinishedLogRecordItems().get(0);
    assertEquals("llm_otel.escalation", record.getEventName());
    assertEquals(span.getSpanContext().getTraceId(), record.getSpanContext().getTraceId());
    assertEquals(span.getSpanContext().getSpanId(), record.getSpanContext().getSpanId());
    assertEquals("output_invalid", record.getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertEquals("$: required", record.getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION_ERROR));
    assertEquals("gpt-4o-mini", record.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")));
    assertTrue(!record.getAttributes().toString().contains("SECRET-ANSWER"), "no content without capture");
    assertNull(record.getAttributes().get(AttributeKey.stringKey("gen_ai.output.messages")));
    assertEquals(1, count("llm_otel.escalations", "output_invalid"));
    assertEquals(1, count("llm_otel.output.validations", "invalid"));
  }

  @Test
  void inMonitorModeTheCallGoesOnAndWouldRefuseIsRecorded() {
    policy(PolicySettings.Mode.MONITOR);
    assertNull(run(structured(OutputContract.jsonObject()), "Sure, here it is", "stop"));
    SpanData span = span();
    assertEquals("not_json", span.getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));
    assertEquals("output_validation", span.getAttributes().get(LlmOtelAttributes.POLICY_NAME));
    assertEquals(PolicyDecision.WOULD_REFUSE, span.getAttributes().get(LlmOtelAttributes.POLICY_DECISION));
    assertNull(span.getAttributes().get(AttributeKey.stringKey("error.type")));
  }

  @Test
  void inEnforceModeTheAppGetsTheLibrarysExceptionNamingThePolicyAndTheViolation() {
    policy(PolicySettings.Mode.ENFORCE);
    Throwable thrown = run(structured(OutputContract.schema(SCHEMA)), "{\"city\":7}", "stop");
    assertTrue(thrown instanceof IllegalStateException, String.valueOf(thrown));
    assertEquals("sdk: llm-otel policy output_validation rejected this call's answer: the answer is invalid ($.city: type)",
        thrown.getMessage());
    SpanData span = span();
    assertEquals("java.lang.IllegalStateException", span.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(PolicyDecision.REFUSED, span.getAttributes().get(LlmOtelAttributes.POLICY_DECISION));
    assertEquals("output_invalid", span.getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    // A valid answer in enforce mode passes through untouched.
    assertNull(run(structured(OutputContract.schema(SCHEMA)), "{\"city\":\"Oslo\"}", "stop"));
  }

  @Test
  void refusalsFiltersAndTruncationAreEscalatedWithTheirReason() {
    LlmCall refused = structured(OutputContract.jsonObject());
    refused.response().modelRefused(true);
    run(refused, null, "stop");
    assertEquals("refusal", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertNull(span().getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION), "a refusal has no answer to check");

    run(GovernanceSettlementTest.call("claude", 100), "", "refusal");
    assertEquals("refusal", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    run(GovernanceSettlementTest.call("gemini", 100), "", "safety");
    assertEquals("content_filter", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    run(GovernanceSettlementTest.call("gpt", 100), "x", "content_filter");
    assertEquals("content_filter", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    // Cut at the limit: truncated JSON is not JSON, and the reason is the truncation.
    run(structured(OutputContract.schema(SCHEMA)), "{\"city\":\"Par", "length");
    assertEquals("truncated", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertEquals("not_json", span().getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));
    LlmCall incomplete = GovernanceSettlementTest.call("gpt", 100);
    incomplete.response().incompleteReason("max_output_tokens");
    run(incomplete, "x", "incomplete");
    assertEquals("truncated", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertEquals(6, logs.getFinishedLogRecordItems().size());
  }

  @Test
  void lowConfidenceIsTheMeanTokenProbabilityUnderTheThreshold() {
    LlmCall sure = GovernanceSettlementTest.call("gpt", 100);
    sure.response().tokenLogprob(-0.05).tokenLogprob(-0.1);
    run(sure, "x", "stop");
    assertEquals((Math.exp(-0.05) + Math.exp(-0.1)) / 2, span().getAttributes().get(LlmOtelAttributes.OUTPUT_CONFIDENCE), 1e-9);
    assertNull(span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    LlmCall unsure = GovernanceSettlementTest.call("gpt", 100);
    for (int i = 0; i < 10; i++) unsure.response().tokenLogprob(-1.5);
    run(unsure, "x", "stop");
    assertEquals(Math.exp(-1.5), span().getAttributes().get(LlmOtelAttributes.OUTPUT_CONFIDENCE), 1e-9);
    assertEquals("low_confidence", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
  }

  @Test
  void aCallAPolicyRefusedIsEscalatedAsPolicyRefused() {
    PolicySettings s = new PolicySettings();
    s.rateLimitMode = PolicySettings.Mode.ENFORCE;
    s.callsPerMinute = 1;
    Governance.install(GovernanceSettlementTest.governance(s));
    LlmCall first = GovernanceSettlementTest.call("gpt", 100);
    instrumenter.end((LlmScope) instrumenter.startSdkCall(first, d -> new IllegalStateException(d.message)), null, null, null);
    Object refused = instrumenter.startSdkCall(GovernanceSettlementTest.call("gpt", 100), d -> new IllegalStateException(d.message));
    assertTrue(refused instanceof CallRefusal);
    assertEquals("policy_refused", span().getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    LogRecordData record = logs.getFinishedLogRecordItems().get(0);
    assertEquals("rate_limit", record.getAttributes().get(LlmOtelAttributes.POLICY_NAME));
  }

  @Test
  void toolCallArgumentsThatBreakTheirSchemaAreInvalid() {
    LlmCall call = GovernanceSettlementTest.call("gpt-4o-mini", 100);
    call.request().toolDefinitions().add(new ToolDefinition("function", "get_weather", null, SCHEMA));
    Object state = instrumenter.startSdkCall(call, d -> new IllegalStateException(d.message));
    call.response().answerToolCall("get_weather", "{\"city\":\"Rome\",\"when\":\"now\"}").addFinishReason("tool_calls");
    instrumenter.end((LlmScope) state, null, null, null);
    assertEquals("invalid", span().getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));
    assertEquals("tool get_weather: $: additionalProperties", span().getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION_ERROR));
  }

  @Test
  void anAsyncCallsFutureFailsWithTheRejectionInEnforceModeAndIsUntouchedOtherwise() throws Exception {
    policy(PolicySettings.Mode.ENFORCE);
    LlmCall call = structured(OutputContract.schema(SCHEMA));
    Object state = instrumenter.startSdkCall(call, d -> new IllegalStateException(d.exceptionMessage()));
    CompletableFuture<String> library = new CompletableFuture<>();
    instrumenter.endWhenComplete(state, library, null, (c, r) -> c.response().answerText(0, (String) r));
    @SuppressWarnings("unchecked")
    CompletableFuture<Object> app = (CompletableFuture<Object>) CallRefusal.failedFutureOr(state, library);
    library.complete("{\"city\":false}");
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> app.get(5, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IllegalStateException);

    LlmCall ok = structured(OutputContract.schema(SCHEMA));
    Object okState = instrumenter.startSdkCall(ok, d -> new IllegalStateException(d.exceptionMessage()));
    CompletableFuture<String> okLibrary = new CompletableFuture<>();
    instrumenter.endWhenComplete(okState, okLibrary, null, (c, r) -> c.response().answerText(0, (String) r));
    Object okApp = CallRefusal.failedFutureOr(okState, okLibrary);
    okLibrary.complete("{\"city\":\"Rome\"}");
    assertEquals("{\"city\":\"Rome\"}", ((CompletableFuture<?>) okApp).get(5, TimeUnit.SECONDS));

    policy(PolicySettings.Mode.MONITOR);
    LlmCall monitored = structured(OutputContract.schema(SCHEMA));
    Object monitoredState = instrumenter.startSdkCall(monitored, d -> new IllegalStateException(d.exceptionMessage()));
    CompletableFuture<String> monitoredLibrary = new CompletableFuture<>();
    instrumenter.endWhenComplete(monitoredState, monitoredLibrary, null, (c, r) -> {});
    assertSame(monitoredLibrary, CallRefusal.failedFutureOr(monitoredState, monitoredLibrary), "the app's own future");
  }

  @Test
  void manyThreadsEndingCallsTogetherGetEachTheirOwnVerdict() throws Exception {
    policy(PolicySettings.Mode.ENFORCE);
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> rejected = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      final boolean valid = i % 2 == 0;
      rejected.add(pool.submit(() -> {
        start.await();
        return run(structured(OutputContract.schema(SCHEMA)), valid ? "{\"city\":\"A\"}" : "{}", "stop") != null;
      }));
    }
    start.countDown();
    for (int i = 0; i < rejected.size(); i++) assertEquals(i % 2 == 1, rejected.get(i).get());
    pool.shutdown();
    assertEquals(128, count("llm_otel.escalations", "output_invalid"));
    assertEquals(128, count("llm_otel.output.validations", "valid"));
    assertEquals(128, logs.getFinishedLogRecordItems().size());
  }

  @Test
  void thePlainHttpLayersRejectionIsAnIoException() {
    policy(PolicySettings.Mode.ENFORCE);
    LlmCall call = structured(OutputContract.jsonObject());
    Object state = instrumenter.startSdkCall(call, d -> new IllegalStateException(d.exceptionMessage()));
    call.outputReview().failWith(d -> new IOException(d.exceptionMessage()));
    call.response().answerText(0, "[1]");
    instrumenter.end((LlmScope) state, null, null, null);
    assertTrue(call.outputReview().rejection() instanceof IOException);
  }

  @Test
  void thePolicyFileSetsTheModeAndTheConfidenceThresholdAndRejectsBadValues() {
    List<String> problems = new ArrayList<>();
    PolicySettings s = PolicySettings.reload("policies.json",
        "{\"output_validation\": {\"mode\": \"enforce\"}, \"escalation\": {\"confidence_threshold\": 0.8}}", problems);
    assertEquals(PolicySettings.Mode.ENFORCE, s.outputValidationMode, problems.toString());
    assertEquals(0.8, s.confidenceThreshold, 1e-12);
    assertEquals(PolicySettings.Mode.MONITOR,
        PolicySettings.reload("p.json", "{\"output_validation\": {}}", problems).outputValidationMode, "a section alone monitors");
    assertEquals(0.6, new PolicySettings().confidenceThreshold, 1e-12, "the default");
    assertEquals(PolicySettings.Mode.OFF, new PolicySettings().outputValidationMode, "off by default");
    for (String bad : new String[] {"{\"escalation\": {\"confidence_threshold\": 1.5}}",
        "{\"escalation\": {\"confidence_threshold\": \"high\"}}", "{\"output_validation\": {\"mode\": \"strict\"}}"}) {
      List<String> found = new ArrayList<>();
      assertNull(PolicySettings.reload("p.json", bad, found), bad + " is rejected as a whole");
      assertEquals(1, found.size(), found.toString());
    }
  }

  long count(String metric, String value) {
    long total = 0;
    for (MetricData m : metrics.collectAllMetrics()) {
      if (!m.getName().equals(metric)) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        String v = p.getAttributes().get(metric.equals("llm_otel.escalations")
            ? LlmOtelAttributes.ESCALATION_REASON : LlmOtelAttributes.OUTPUT_VALIDATION);
        if (value.equals(v)) total += p.getValue();
      }
    }
    return total;
  }
}
