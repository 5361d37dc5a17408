package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.evaluation.EvaluationSettings;
import dev.llmotel.core.evaluation.Evaluators;
import dev.llmotel.core.evaluation.JudgeSettings;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Online evaluation through the instrumenter against the fake server's judge: what is sampled, the
 * result records in the evaluated call's span context, the score histogram, escalations, and every
 * way a judge can fail (garbage, errors, slowness, a full queue, a spent budget) counted without
 * ever holding the app's thread.
 */
class AnswerEvaluatorTest {
  static final AttributeKey<String> RESULT = LlmOtelAttributes.EVALUATION_RESULT;

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  FakeLlmServer judge;
  LlmInstrumenter instrumenter;

  @BeforeEach
  void setUp() {
    judge = FakeLlmServer.start(0);
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setLoggerProvider(SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build();
    instrumenter = LlmInstrumenter.create(sdk, "test-evaluation", "1");
    settings(1.0, 256, 1, 30_000, 0);
  }

  @AfterEach
  void tearDown() {
    AnswerEvaluator.overrideSettings(null);
    judge.close();
  }

  void settings(double rate, int queue, int workers, long timeoutMillis, double budgetPerHour) {
    AnswerEvaluator.overrideSettings(EvaluationSettings.of(
        new JudgeSettings(judge.baseUrl() + "/v1", "gpt-4o-mini", "sk-judge-secret", timeoutMillis, budgetPerHour, 0),
        rate, Arrays.asList(Evaluators.RELEVANCE, Evaluators.GROUNDEDNESS, Evaluators.INSTRUCTION_FOLLOWING),
        Evaluators.builtIn(), queue, workers));
  }

  /** A chat call asking {@code question} answered {@code answer}; returns once its span has ended. */
  LlmCall call(String question, String answer) {
    LlmCall call = new LlmCall("openai", "chat");
    call.request().requestModel("gpt-4o-mini");
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(question)));
    Context context = instrumenter.start(Context.root(), call);
    call.response().responseId("chatcmpl-app").answerText(0, answer);
    instrumenter.end(context, call, null);
    return call;
  }

  void awaitIdle() throws InterruptedException {
    assertTrue(AnswerEvaluator.awaitIdle(10_000), "evaluations still running");
  }

  List<LogRecordData> results() {
    return logs.getFinishedLogRecordItems().stream()
        .filter(r -> GenAiAttributes.EVENT_EVALUATION_RESULT.equals(r.getEventName())).collect(Collectors.toList());
  }

  List<RecordedRequest> judgeRequests() {
    return judge.requests().stream().filter(r -> r.body().contains(FakeLlmServer.JUDGE_SCHEMA)).collect(Collectors.toList());
  }

  long evaluations(String evaluator, String result) {
    long n = 0;
    for (MetricData m : metrics.collectAllMetrics()) {
      if (!m.getName().equals("llm_otel.evaluations")) continue;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (evaluator.equals(p.getAttributes().get(GenAiAttributes.EVALUATION_NAME))
            && result.equals(p.getAttributes().get(RESULT))) {
          n += p.getValue();
        }
      }
    }
    return n;
  }

  @Test
  void aSampledAnswerIsScoredInItsOwnSpanContextAndTheJudgeCallIsTracedButNeverEvaluated() throws Exception {
    LlmCall call = call("What is the weather in Paris?", "It is sunny in Paris.");
    awaitIdle();
    assertTrue(call.evaluation().sampled());
    // relevance only: no sources, no system instructions for the other two.
    List<LogRecordData> results = results();
    assertEquals(1, results.size(), results.toString());
    LogRecordData r = results.get(0);
    SpanData appSpan = spans.getFinishedSpanItems().stream()
        .filter(s -> "chatcmpl-app".equals(s.getAttributes().get(GenAiAttributes.RESPONSE_ID))).findFirst().get();
    assertEquals(appSpan.getSpanContext().getTraceId(), r.getSpanContext().getTraceId());
    assertEquals(appSpan.getSpanContext().getSpanId(), r.getSpanContext().getSpanId());
    assertEquals("relevance", r.getAttributes().get(GenAiAttributes.EVALUATION_NAME));
    assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, r.getAttributes().get(GenAiAttributes.EVALUATION_SCORE_VALUE));
    assertEquals("good", r.getAttributes().get(GenAiAttributes.EVALUATION_SCORE_LABEL));
    assertEquals("chatcmpl-app", r.getAttributes().get(GenAiAttributes.RESPONSE_ID));
    // Content capture is off in this JVM: the judge's explanation (it may quote content) is not exported.
    assertNull(r.getAttributes().get(GenAiAttributes.EVALUATION_EXPLANATION));

    // One judge request, asked for the llm_otel_evaluation schema with the question and answer, the key as bearer.
    List<RecordedRequest> asked = judgeRequests();
    assertEquals(1, asked.size());
    assertTrue(asked.get(0).body().contains("Evaluator: relevance."));
    assertTrue(asked.get(0).body().contains("It is sunny in Paris."));
    assertEquals("json_schema", asked.get(0).json().path("response_format").path("type").asText());
    assertEquals("Bearer sk-judge-secret", asked.get(0).headers().get("authorization").get(0));

    // The judge's call: a chat span of workflow llm_otel.evaluation in a trace of its own, linked to the
    // evaluated span, costed, and not evaluated itself (no second judge request, no record for it).
    SpanData judgeSpan = spans.getFinishedSpanItems().stream()
        .filter(s -> LlmOtelAttributes.WORKFLOW_EVALUATION.equals(s.getAttributes().get(LlmOtelAttributes.WORKFLOW)))
        .findFirst().orElseThrow(() -> new AssertionError("no judge span in " + spans.getFinishedSpanItems()));
    assertEquals("chat gpt-4o-mini", judgeSpan.getName());
    assertFalse(judgeSpan.getSpanContext().getTraceId().equals(appSpan.getSpanContext().getTraceId()));
    assertEquals(appSpan.getSpanContext(), judgeSpan.getLinks().get(0).getSpanContext());
    assertNotNull(judgeSpan.getAttributes().get(AttributeKey.doubleKey("llm_otel.cost.usd")), judgeSpan.getAttributes().toString());
    assertEquals("valid", judgeSpan.getAttributes().get(LlmOtelAttributes.OUTPUT_VALIDATION));

    // The score histogram, by evaluator, workflow-less here, and model.
    HistogramPointData point = metrics.collectAllMetrics().stream()
        .filter(m -> m.getName().equals("llm_otel.evaluation.score"))
        .flatMap(m -> m.getHistogramData().getPoints().stream()).findFirst().get();
    assertEquals(1, point.getCount());
    assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, point.getSum(), 1e-9);
    assertEquals("relevance", point.getAttributes().get(GenAiAttributes.EVALUATION_NAME));
    assertEquals("gpt-4o-mini", point.getAttributes().get(GenAiAttributes.REQUEST_MODEL));
  }

  @Test
  void everyApplicableEvaluatorRunsAndALowScoreIsEscalated() throws Exception {
    judge.scriptJudge("Evaluator: groundedness.", Behaviour.verdict(0.2, "ungrounded", "Not in the sources"), 0);
    LlmCall call = new LlmCall("openai", "chat");
    call.request().requestModel("gpt-4o-mini");
    call.request().systemInstructions().add(LlmMessage.Part.text("Answer in one sentence."));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Weather in Paris?")));
    call.request().inputMessages().add(new LlmMessage("tool").add(LlmMessage.Part.toolCallResponse("c1", "Paris: rain, 12C")));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("And should I take an umbrella?")));
    Context context = instrumenter.start(Context.root(), call);
    call.response().answerText(0, "No, it is sunny.");
    instrumenter.end(context, call, null);
    awaitIdle();

    assertEquals(Arrays.asList("groundedness", "instruction_following", "relevance"), results().stream()
        .map(r -> r.getAttributes().get(GenAiAttributes.EVALUATION_NAME)).sorted().collect(Collectors.toList()));
    RecordedRequest grounded = judgeRequests().stream().filter(r -> r.body().contains("Evaluator: groundedness.")).findFirst().get();
    assertTrue(grounded.body().contains("Paris: rain, 12C"), "the tool result is a source");
    List<LogRecordData> escalations = logs.getFinishedLogRecordItems().stream()
        .filter(r -> LlmOtelAttributes.EVENT_ESCALATION.equals(r.getEventName())).collect(Collectors.toList());
    assertEquals(1, escalations.size());
    assertEquals("evaluation", escalations.get(0).getAttributes().get(LlmOtelAttributes.ESCALATION_REASON));
    assertEquals("groundedness", escalations.get(0).getAttributes().get(GenAiAttributes.EVALUATION_NAME));
    assertEquals(0.2, escalations.get(0).getAttributes().get(GenAiAttributes.EVALUATION_SCORE_VALUE));
    assertEquals(3, evaluations("relevance", "scored") + evaluations("groundedness", "scored")
        + evaluations("instruction_following", "scored"));
  }

  @Test
  void withSampleRateZeroNothingIsKeptOrJudged() throws Exception {
    settings(0, 256, 1, 30_000, 0);
    LlmCall call = call("What is the weather in Paris?", "It is sunny in Paris.");
    awaitIdle();
    assertFalse(call.evaluation().sampled());
    assertNull(call.response().keptAnswerText(), "an unsampled call keeps no answer text");
    assertEquals(0, judgeRequests().size());
    assertEquals(0, results().size());
  }

  @Test
  void garbageAnErrorAndATimeoutAreCountedJudgeFailuresNeverScores() throws Exception {
    settings(1.0, 256, 1, 500, 0);
    CountDownLatch never = new CountDownLatch(1);
    judge.scriptJudge("garbage question", Behaviour.answerText("I think it is fine, 8/10"), 0);
    judge.scriptJudge("out of range question", Behaviour.verdict(7, "great", "Very good"), 0);
    judge.scriptJudge("failing question", Behaviour.error(500), 0);
    judge.scriptJudge("slow question", Behaviour.heldUntil(never), 0);
    try {
      call("garbage question?", "An answer.");
      call("out of range question?", "An answer.");
      call("failing question?", "An answer.");
      call("slow question?", "An answer.");
      awaitIdle();
    } finally {
      never.countDown();
    }
    assertEquals(2, evaluations("relevance", "judge_invalid"));
    assertEquals(1, evaluations("relevance", "judge_error"));
    assertEquals(1, evaluations("relevance", "judge_timeout"));
    assertEquals(0, evaluations("relevance", "scored"));
    List<String> errors = new ArrayList<>();
    for (LogRecordData r : results()) {
      assertNull(r.getAttributes().get(GenAiAttributes.EVALUATION_SCORE_VALUE));
      errors.add(r.getAttributes().get(GenAiAttributes.ERROR_TYPE));
    }
    errors.sort(null);
    assertEquals(Arrays.asList("judge_error", "judge_invalid", "judge_invalid", "judge_timeout"), errors);
    assertEquals(4, judgeRequests().size(), "never retried");
  }

  @Test
  void theAppsThreadNeverWaitsForTheJudge() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    judge.scriptJudge("held question", Behaviour.heldUntil(release), 0);
    try {
      // end() returns while the judge still holds the request: nothing of the evaluation is recorded yet.
      call("held question?", "An answer.");
      assertEquals(0, results().size());
      assertEquals(1, spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("chat gpt-4o-mini")).count());
    } finally {
      release.countDown();
    }
    awaitIdle();
    assertEquals(1, results().size());
  }

  @Test
  void aFullQueueDropsAndCounts() throws Exception {
    settings(1.0, 1, 1, 30_000, 0);
    CountDownLatch release = new CountDownLatch(1);
    judge.scriptJudge("queued question", Behaviour.heldUntil(release), 0);
    try {
      for (int i = 0; i < 5; i++) call("queued question " + i + "?", "An answer.");
      // One on the worker, one in the queue of one, three dropped.
      assertEquals(3, evaluations("relevance", "dropped"));
    } finally {
      release.countDown();
    }
    awaitIdle();
    assertEquals(2, evaluations("relevance", "scored"));
    assertEquals(2, judgeRequests().size());
  }

  @Test
  void aSpentBudgetStopsTheJudgeBeforeItIsCalled() throws Exception {
    settings(1.0, 256, 1, 30_000, 1e-9); // less than one judge call may cost
    call("What is the weather in Paris?", "It is sunny in Paris.");
    awaitIdle();
    assertEquals(1, evaluations("relevance", "over_budget"));
    assertEquals(0, judgeRequests().size());
  }

  @Test
  void sixtyFourCallsEndingTogetherAreEachScoredOrCountedAsDropped() throws Exception {
    settings(1.0, 16, 2, 30_000, 0);
    CountDownLatch release = new CountDownLatch(1);
    judge.scriptJudge("together", Behaviour.heldUntil(release), 0);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(64);
    CountDownLatch start = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> ends = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int n = i;
      ends.add(pool.submit(() -> {
        start.await();
        return call("together " + n + "?", "An answer.");
      }));
    }
    start.countDown();
    for (java.util.concurrent.Future<?> f : ends) f.get(10, java.util.concurrent.TimeUnit.SECONDS);
    pool.shutdown();
    // Every call ended without waiting for the held judge; two on the workers, sixteen queued, the rest dropped.
    assertEquals(46, evaluations("relevance", "dropped"));
    release.countDown();
    awaitIdle();
    assertEquals(18, evaluations("relevance", "scored"));
    assertEquals(18, results().size());
    assertEquals(18, judgeRequests().size());
  }

  @Test
  void aJudgeThatKeepsFailingIsLeftAloneForAWhileNotCalledForEverySample() throws Exception {
    judge.scriptJudge("down question", Behaviour.error(503), 0);
    for (int i = 0; i < 8; i++) call("down question " + i + "?", "An answer.");
    awaitIdle();
    assertEquals(AnswerEvaluator.FAILURES_BEFORE_PAUSE, evaluations("relevance", "judge_error"));
    assertEquals(8 - AnswerEvaluator.FAILURES_BEFORE_PAUSE, evaluations("relevance", "dropped"));
    assertEquals(AnswerEvaluator.FAILURES_BEFORE_PAUSE, judgeRequests().size(), "no request while paused");
  }
}
