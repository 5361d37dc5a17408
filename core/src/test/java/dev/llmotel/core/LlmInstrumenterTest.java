package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared pipeline without the agent: an LlmCall in, a semconv span and metrics out. */
class LlmInstrumenterTest {
  private InMemorySpanExporter spans;
  private InMemoryMetricReader metrics;
  private LlmInstrumenter instrumenter;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    metrics = InMemoryMetricReader.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    instrumenter = LlmInstrumenter.create(sdk, "test-scope", "1.2.3");
  }

  private static LlmCall chat() {
    return new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").server("https://api.openai.com/v1")
        .temperature(0.5).maxTokens(64L).call();
  }

  @Test
  void aSuccessfulCallBecomesOneClientSpanAndItsMetrics() {
    LlmCall call = chat();
    Context ctx = instrumenter.start(Context.root(), call);
    call.response().responseModel("gpt-4o-mini-2024-07-18").responseId("chatcmpl-1").addFinishReason("stop")
        .usage(25L, 7L).cacheUsage(5L, null);
    call.attemptLog().recordAttempt(200, null, null, "req_1");
    instrumenter.end(ctx, call, null);

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertEquals("chat gpt-4o-mini", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals("1.2.3", span.getInstrumentationScopeInfo().getVersion());
    assertEquals("openai", span.getAttributes().get(GenAiAttributes.PROVIDER_NAME));
    assertEquals("api.openai.com", span.getAttributes().get(GenAiAttributes.SERVER_ADDRESS));
    assertEquals(443L, span.getAttributes().get(GenAiAttributes.SERVER_PORT));
    assertEquals(0.5, span.getAttributes().get(GenAiAttributes.REQUEST_TEMPERATURE));
    assertEquals(25L, span.getAttributes().get(GenAiAttributes.USAGE_INPUT_TOKENS));
    assertEquals(5L, span.getAttributes().get(GenAiAttributes.USAGE_CACHE_READ_INPUT_TOKENS));
    assertEquals(Collections.singletonList("stop"), span.getAttributes().get(GenAiAttributes.RESPONSE_FINISH_REASONS));
    assertEquals(0L, span.getAttributes().get(LlmOtelAttributes.RETRY_COUNT));
    assertEquals("req_1", span.getAttributes().get(LlmOtelAttributes.PROVIDER_REQUEST_ID));
    assertNull(span.getAttributes().get(GenAiAttributes.INPUT_MESSAGES), "capture is off by default");

    MetricData tokens = metric("gen_ai.client.token.usage");
    assertEquals("{token}", tokens.getUnit());
    List<HistogramPointData> points = (List<HistogramPointData>) tokens.getHistogramData().getPoints();
    assertEquals(2, points.size());
    assertEquals(LlmMetrics.TOKEN_BUCKETS.size(), points.get(0).getBoundaries().size());
    MetricData duration = metric("gen_ai.client.operation.duration");
    assertEquals("s", duration.getUnit());
    HistogramPointData d = duration.getHistogramData().getPoints().iterator().next();
    assertEquals(LlmMetrics.DURATION_BUCKETS, d.getBoundaries());
    assertEquals("gpt-4o-mini-2024-07-18", d.getAttributes().get(GenAiAttributes.RESPONSE_MODEL));
    // The metric's attributes set when the call started, read from the start's attributes.
    assertEquals("chat", d.getAttributes().get(GenAiAttributes.OPERATION_NAME));
    assertEquals("openai", d.getAttributes().get(GenAiAttributes.PROVIDER_NAME));
    assertEquals("gpt-4o-mini", d.getAttributes().get(GenAiAttributes.REQUEST_MODEL));
    assertEquals("api.openai.com", d.getAttributes().get(GenAiAttributes.SERVER_ADDRESS));
    assertEquals(443L, d.getAttributes().get(GenAiAttributes.SERVER_PORT));
    assertNull(d.getAttributes().get(GenAiAttributes.ERROR_TYPE));
  }

  @Test
  void failedAttemptsBecomeEventsAndTheErrorSetsErrorType() {
    LlmCall call = chat();
    Context ctx = instrumenter.start(Context.root(), call);
    call.attemptLog().recordAttempt(429, "2", null, "req_a");
    call.attemptLog().recordAttempt(503, null, null, "req_b");
    call.attemptLog().recordAttempt(null, null, new java.net.SocketTimeoutException("read timed out"), null);
    instrumenter.end(ctx, call, new IOException("gave up"));

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals("java.io.IOException", span.getAttributes().get(GenAiAttributes.ERROR_TYPE));
    assertEquals("java.io.IOException", metric("gen_ai.client.operation.duration").getHistogramData().getPoints()
        .iterator().next().getAttributes().get(GenAiAttributes.ERROR_TYPE), "the error, set at the end, on the metric");
    assertEquals(2L, span.getAttributes().get(LlmOtelAttributes.RETRY_COUNT));
    List<EventData> failed = new java.util.ArrayList<>();
    for (EventData e : span.getEvents()) {
      if (e.getName().equals(LlmOtelAttributes.EVENT_ATTEMPT_FAILED)) failed.add(e);
    }
    assertEquals(3, failed.size());
    assertEquals(429L, failed.get(0).getAttributes().get(GenAiAttributes.HTTP_RESPONSE_STATUS_CODE));
    assertEquals("2", failed.get(0).getAttributes().get(LlmOtelAttributes.RETRY_AFTER));
    assertEquals("429", failed.get(0).getAttributes().get(GenAiAttributes.ERROR_TYPE));
    assertEquals("java.net.SocketTimeoutException", failed.get(2).getAttributes().get(GenAiAttributes.ERROR_TYPE));
    HistogramPointData d = metric("gen_ai.client.operation.duration").getHistogramData().getPoints().iterator().next();
    assertEquals("java.io.IOException", d.getAttributes().get(GenAiAttributes.ERROR_TYPE));
  }

  @Test
  void eachRetryIsCountedWithTheErrorTypeOfTheAttemptItRetried() {
    LlmCall call = chat();
    Context ctx = instrumenter.start(Context.root(), call);
    call.attemptLog().recordAttempt(429, "2", null, null);
    call.attemptLog().recordAttempt(null, null, new java.net.SocketTimeoutException("read timed out"), null);
    call.attemptLog().recordAttempt(200, null, null, null);
    instrumenter.end(ctx, call, null);

    Map<String, Long> byReason = new java.util.TreeMap<>();
    for (LongPointData p : metric("llm_otel.retries").getLongSumData().getPoints()) {
      assertEquals("gpt-4o-mini", p.getAttributes().get(GenAiAttributes.REQUEST_MODEL));
      byReason.put(p.getAttributes().get(GenAiAttributes.ERROR_TYPE), p.getValue());
    }
    Map<String, Long> expected = new java.util.TreeMap<>();
    expected.put("429", 1L);
    expected.put("java.net.SocketTimeoutException", 1L);
    assertEquals(expected, byReason, "the successful last attempt is no retry");
  }

  @Test
  void anAppRetryOfAPlainHttpCallCountsOnceWithThePreviousFailure() {
    LlmCall call = chat();
    call.attemptLog().appRetries(2, "503");
    instrumenter.end(instrumenter.start(Context.root(), call), call, null);
    LongPointData p = metric("llm_otel.retries").getLongSumData().getPoints().iterator().next();
    assertEquals(1L, p.getValue());
    assertEquals("503", p.getAttributes().get(GenAiAttributes.ERROR_TYPE));
  }

  @Test
  void callsAreCountedByPromptVersionWithABoundOnDistinctVersions() {
    for (int i = 0; i < CallCounters.MAX_PROMPT_VERSIONS + 5; i++) {
      LlmCall call = chat();
      Context ctx = instrumenter.start(Context.root(), call);
      call.governance().promptVersion("triage", "v" + i); // as governance resolved it at the start
      instrumenter.end(ctx, call, null);
    }
    LlmCall again = chat();
    Context ctx = instrumenter.start(Context.root(), again);
    again.governance().promptVersion("triage", "v0");
    instrumenter.end(ctx, again, null);

    Map<String, Long> byVersion = new java.util.HashMap<>();
    for (LongPointData p : metric("llm_otel.prompt.calls").getLongSumData().getPoints()) {
      byVersion.put(p.getAttributes().get(LlmOtelAttributes.PROMPT_VERSION), p.getValue());
    }
    assertEquals(CallCounters.MAX_PROMPT_VERSIONS + 1, byVersion.size());
    assertEquals(2L, byVersion.get("v0"), "a version seen before keeps its own series");
    assertEquals(5L, byVersion.get(CallCounters.OVERFLOW));
  }

  @Test
  void anInnerLlmLayerUnderAnOuterLlmSpanMakesNoSecondSpan() {
    LlmCall outer = chat();
    Context ctx = instrumenter.start(Context.root(), outer);
    assertNull(instrumenter.start(ctx, chat()), "the outer span owns the logical call");
    assertTrue(LlmInstrumenter.currentCall(ctx) == outer);
    instrumenter.end(ctx, outer, null);
    assertEquals(1, spans.getFinishedSpanItems().size());
  }

  @Test
  void aStreamEndsOnceWhicheverWayItEnds() {
    LlmCall call = chat().request().streaming(true).call();
    Context ctx = instrumenter.start(Context.root(), call);
    int[] finished = {0};
    LlmStream stream = new LlmStream(instrumenter, ctx, call, () -> finished[0]++);
    call.response().onChunk();
    call.response().onChunk();
    stream.end(null, false);
    stream.end(new IllegalStateException("late"), false);
    stream.end(null, true);
    assertEquals(1, finished[0]);
    assertEquals(1, spans.getFinishedSpanItems().size());
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertEquals("closed_early", span.getAttributes().get(LlmOtelAttributes.STREAM_END));
    assertEquals(2L, span.getAttributes().get(LlmOtelAttributes.STREAM_CHUNK_COUNT));
    assertNotNull(span.getAttributes().get(GenAiAttributes.RESPONSE_TIME_TO_FIRST_CHUNK));
    assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
  }

  @Test
  void anEndDeferredUntilTheLastAsyncAttemptIsRecorded() {
    LlmCall call = chat();
    Context ctx = instrumenter.start(Context.root(), call);
    int number = call.attemptLog().startAttempt();
    call.attemptLog().runWhenAttemptsSettled(() -> instrumenter.end(ctx, call, null));
    assertEquals(0, spans.getFinishedSpanItems().size(), "waits for the attempt in flight");
    call.attemptLog().finishAttempt(number, 200, null, null, null);
    assertEquals(1, spans.getFinishedSpanItems().size());
  }

  @Test
  void asyncAttemptsKeepTheirStartOrderWhenTheRetryFinishesFirst() {
    LlmCall call = chat();
    Context ctx = instrumenter.start(Context.root(), call);
    int first = call.attemptLog().startAttempt();
    int retry = call.attemptLog().startAttempt();
    call.attemptLog().finishAttempt(retry, 200, null, null, "req_ok");
    call.attemptLog().finishAttempt(first, 429, "0", null, "req_429");
    call.attemptLog().runWhenAttemptsSettled(() -> instrumenter.end(ctx, call, null));
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertEquals(1L, span.getAttributes().get(LlmOtelAttributes.RETRY_COUNT));
    assertEquals(1, span.getEvents().size());
    assertEquals(1L, span.getEvents().get(0).getAttributes().get(LlmOtelAttributes.ATTEMPT_NUMBER));
    assertEquals("req_ok", span.getAttributes().get(LlmOtelAttributes.PROVIDER_REQUEST_ID));
  }

  @Test
  void spanNameWithoutAModelIsTheOperation() {
    assertEquals("embeddings", LlmInstrumenter.spanName(new LlmCall("openai", "embeddings")));
  }

  private MetricData metric(String name) {
    for (MetricData m : metrics.collectAllMetrics()) {
      if (m.getName().equals(name)) return m;
    }
    throw new AssertionError("no metric " + name);
  }

  @Test
  void aCallMadeInTheContextOfAFinishedCallIsACallOfItsOwnWhereTheFinishedOneStarted() {
    Context parent = Context.root();
    LlmCall first = chat();
    Context firstContext = instrumenter.start(parent, first);
    assertNull(instrumenter.start(firstContext, chat()), "while the first call runs, an inner layer only enriches it");
    assertEquals(first, LlmInstrumenter.currentCall(firstContext));
    instrumenter.end(firstContext, first, null);
    // An async stream runs the app's completion callback in the finished call's context.
    assertNull(LlmInstrumenter.currentCall(firstContext), "a finished call is no one's to enrich");
    assertFalse(LlmInstrumenter.hasOpenCallFromAnyClassLoader(firstContext),
        "nor for the plain HTTP layer: a request made there is a call of its own");
    assertTrue(LlmInstrumenter.hasOpenCallFromAnyClassLoader(instrumenter.start(Context.root(), chat())),
        "an open call is");
    LlmCall chained = chat();
    chained.request().systemInstructions().add(LlmMessage.Part.text("You are terse."));
    Context chainedContext = instrumenter.start(firstContext, chained);
    assertNotNull(chainedContext, "the call made in the callback gets its own span");
    assertNotNull(chained.governance().promptFingerprint(), "and governance");
    instrumenter.end(chainedContext, chained, null);
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertEquals(2, finished.size());
    assertEquals(finished.get(0).getParentSpanId(), finished.get(1).getParentSpanId(),
        "parented where the finished call was made, not under it");
  }
}
