package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.otlp.ReceivedLogRecord;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Online evaluation under the real agent, with the OpenAI SDK app: one extra configuration (a judge
 * and a sample rate) and sampled answers are scored by the fake server's judge in their own traces
 * and metrics, blocking, async and streamed, without any effect on the app's calls; a judge that is
 * slow, answers garbage or fails is counted, never retried; the policy file samples per workflow; the
 * judge's calls are chat spans of workflow llm_otel.evaluation, never evaluated themselves; with
 * content capture off nothing of the conversation leaves the process. A second launch holds the
 * judge to an evaluation budget (with content capture on: the judge's explanation is exported).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationSmokeTest {
  static final String RESULT = "gen_ai.evaluation.result";
  static final List<String> SCENARIOS = Arrays.asList("eval-scored", "eval-async", "eval-stream", "eval-tools",
      "eval-low", "eval-garbage", "eval-failing", "eval-slow", "eval-unsampled", "eval-custom", "eval-wait");
  static final String TERSE_RUBRIC = "Terseness: is the answer one short sentence with no filler?";
  static final long SLOW_JUDGE_MS = 2_000;
  static final double BUDGET_PER_HOUR_USD = 0.002;
  static final int BUDGET_CALLS = 8;

  SmokeRun run;
  SmokeRun budgetRun;

  static String question(String scenario) {
    return "Evaluation case " + scenario + ":"; // the app's question starts so (EvaluationScenarios)
  }

  static Map<String, String> judge(SmokeRun run) {
    Map<String, String> p = new HashMap<>();
    p.put("otel.logs.exporter", "otlp");
    p.put("otel.instrumentation.llm-otel.evaluation.judge.base-url", run.llm.baseUrl() + "/v1");
    p.put("otel.instrumentation.llm-otel.evaluation.judge.model", "gpt-4o-mini");
    // The key from the environment, as the docs advise: the agent exports the command line (process.command_args).
    p.put(AgentApp.ENV + "OTEL_INSTRUMENTATION_LLM_OTEL_EVALUATION_JUDGE_API_KEY", "sk-judge-secret-key-9876543210");
    return p;
  }

  @BeforeAll
  void runApps() throws Exception {
    run = new SmokeRun();
    run.llm.scriptJudge(question("eval-low"), Behaviour.verdict(0.2, "poor", "The answer misses the question"), 0);
    run.llm.scriptJudge(question("eval-garbage"), Behaviour.answerText("Looks fine to me, 8 out of 10."), 0);
    run.llm.scriptJudge(question("eval-failing"), Behaviour.error(500), 0);
    run.llm.scriptJudge(question("eval-slow"), Behaviour.verdict(0.8, "good", "Fine"), SLOW_JUDGE_MS);
    run.llm.scriptJudge("Evaluator: terse.", Behaviour.verdict(0.7, "terse", "One sentence"), 0);
    Map<String, String> props = judge(run);
    props.put("otel.instrumentation.llm-otel.evaluation.sample-rate", "1");
    props.put("otel.instrumentation.genai.capture-message-content", "false");
    // Per workflow from the policy file: one workflow never sampled, one scored by relevance only.
    props.put("otel.instrumentation.llm-otel.policy-file", GovernanceFiles.write("policies-evaluation.json",
        "{\"evaluation\": {\"workflows\": {\"scenario eval-unsampled\": {\"sample_rate\": 0},"
            + " \"scenario eval-low\": {\"evaluators\": [\"relevance\"]},"
            + " \"scenario eval-custom\": {\"evaluators\": [\"terse\", \"relevance\"]}}}}").toString());
    // The operator's own evaluator, from a rubric file.
    props.put("otel.instrumentation.llm-otel.evaluation.rubrics", GovernanceFiles.write("rubrics.json",
        "{\"evaluators\": {\"terse\": {\"rubric\": \"" + TERSE_RUBRIC + "\", \"threshold\": 0.6}}}").toString());
    run.launch("evaluation-openai", "newest", System.getProperty("java.home"), props, SCENARIOS);
    run.receiver.awaitMetric("llm_otel.evaluation.score", Duration.ofSeconds(10));

    budgetRun = new SmokeRun();
    Map<String, String> budget = judge(budgetRun);
    budget.put("otel.instrumentation.llm-otel.evaluation.sample-rate", "1");
    budget.put("otel.instrumentation.llm-otel.evaluation.evaluators", "relevance");
    budget.put("otel.instrumentation.llm-otel.evaluation.budget.per-hour-usd", String.valueOf(BUDGET_PER_HOUR_USD));
    budget.put("otel.instrumentation.llm-otel.prices", GovernanceFiles.write("prices.json", GovernanceFiles.PRICES).toString());
    budget.put("otel.instrumentation.genai.capture-message-content", "true");
    List<String> budgetScenarios = new ArrayList<>();
    for (int i = 1; i <= BUDGET_CALLS; i++) budgetScenarios.add("eval-budget-" + i);
    budgetScenarios.add("eval-wait");
    budgetRun.launch("evaluation-budget-openai", "newest", System.getProperty("java.home"), budget, budgetScenarios);
    budgetRun.receiver.awaitMetric("llm_otel.evaluations", Duration.ofSeconds(10));
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
    if (budgetRun != null) budgetRun.close();
  }

  /** The scenario's LLM spans that answered with text (a tool round trip's second call). */
  static ReceivedSpan answeringSpan(SmokeRun run, String scenario) {
    List<ReceivedSpan> spans = run.llmSpans(scenario);
    return spans.get(spans.size() - 1);
  }

  static List<ReceivedLogRecord> results(SmokeRun run, ReceivedSpan span) {
    return run.receiver.logRecords(RESULT).stream()
        .filter(r -> r.traceId().equals(span.traceId()) && r.spanId().equals(span.spanId()))
        .collect(Collectors.toList());
  }

  static Map<String, ReceivedLogRecord> byEvaluator(List<ReceivedLogRecord> records) {
    Map<String, ReceivedLogRecord> out = new HashMap<>();
    for (ReceivedLogRecord r : records) {
      assertNull(out.put(r.attr("gen_ai.evaluation.name"), r), "one result per evaluator: " + records);
    }
    return out;
  }

  static List<RecordedRequest> judgeRequests(SmokeRun run) {
    return run.llm.requests().stream().filter(r -> r.body().contains(FakeLlmServer.JUDGE_SCHEMA))
        .collect(Collectors.toList());
  }

  static List<ReceivedSpan> judgeSpans(SmokeRun run) {
    return run.receiver.spans(s -> "llm_otel.evaluation".equals(s.attr("llm_otel.workflow")));
  }

  @Test
  void appRanEveryScenarioUnaffected() {
    run.assertRanCleanly(SCENARIOS.size());
    for (String scenario : SCENARIOS) {
      assertTrue(run.result(scenario).startsWith("ok"), scenario + ": " + run.result(scenario));
      for (ReceivedSpan span : run.llmSpans(scenario)) {
        assertEquals("UNSET", span.statusCode(), scenario + ": " + span);
      }
    }
  }

  @Test
  void sampledAnswersAreScoredInTheirCallsSpanContextBlockingAsyncAndStreamed() {
    for (String scenario : Arrays.asList("eval-scored", "eval-async", "eval-stream")) {
      ReceivedSpan span = run.onlyLlmSpan(scenario);
      Map<String, ReceivedLogRecord> results = byEvaluator(results(run, span));
      // No tool results or documents in these calls: groundedness has nothing to judge against.
      assertEquals(new java.util.TreeSet<>(Arrays.asList("relevance", "instruction_following")), results.keySet(),
          scenario);
      for (ReceivedLogRecord r : results.values()) {
        assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, r.doubleAttr("gen_ai.evaluation.score.value"), 1e-9);
        assertEquals("good", r.attr("gen_ai.evaluation.score.label"));
        assertEquals(span.attr("gen_ai.response.id"), r.attr("gen_ai.response.id"));
        assertEquals("scenario " + scenario, r.attr("llm_otel.workflow"));
        assertEquals(span.attr("llm_otel.prompt.version"), r.attr("llm_otel.prompt.version"));
        assertEquals(span.scopeName(), r.scope());
        assertFalse(r.hasAttr("gen_ai.evaluation.explanation"), "the explanation is content: capture is off");
        assertFalse(r.hasAttr("error.type"));
      }
      assertScored(run, scenario, "relevance", FakeLlmServer.DEFAULT_JUDGE_SCORE);
    }
  }

  @Test
  void groundednessJudgesTheAnswerAgainstTheToolResultsTheCallWasGiven() {
    List<ReceivedSpan> spans = run.llmSpans("eval-tools");
    assertEquals(2, spans.size());
    assertEquals(0, results(run, spans.get(0)).size(), "a tool call is not an answer to score");
    Map<String, ReceivedLogRecord> results = byEvaluator(results(run, spans.get(1)));
    assertTrue(results.containsKey("groundedness"), results.toString());
    RecordedRequest grounded = judgeRequests(run).stream()
        .filter(r -> r.body().contains("Evaluator: groundedness.")).findFirst().get();
    assertTrue(grounded.body().contains("temperature_c"), "the tool's result is a source");
  }

  @Test
  void aLowScoreIsAnEscalationAndThePolicyFileChoosesTheEvaluators() {
    ReceivedSpan span = run.onlyLlmSpan("eval-low");
    Map<String, ReceivedLogRecord> results = byEvaluator(results(run, span));
    assertEquals(java.util.Collections.singleton("relevance"), results.keySet(), "the workflow's evaluators only");
    assertEquals(0.2, results.get("relevance").doubleAttr("gen_ai.evaluation.score.value"), 1e-9);
    List<ReceivedLogRecord> escalations = run.receiver.logRecords("llm_otel.escalation").stream()
        .filter(r -> r.spanId().equals(span.spanId())).collect(Collectors.toList());
    assertEquals(1, escalations.size(), escalations.toString());
    assertEquals("evaluation", escalations.get(0).attr("llm_otel.escalation.reason"));
    assertEquals("relevance", escalations.get(0).attr("gen_ai.evaluation.name"));
    assertFalse(escalations.get(0).hasAttr("gen_ai.input.messages"), "no content without capture");
    new OutputChecks(run, false).assertCounted("llm_otel.escalations", "eval-low", "llm_otel.escalation.reason",
        "evaluation");
  }

  @Test
  void aJudgeThatAnswersGarbageOrFailsIsCountedAndNeverRetried() {
    for (String[] c : new String[][] {{"eval-garbage", "judge_invalid"}, {"eval-failing", "judge_error"}}) {
      ReceivedSpan span = run.onlyLlmSpan(c[0]);
      Map<String, ReceivedLogRecord> results = byEvaluator(results(run, span));
      assertEquals(2, results.size(), c[0] + ": " + results);
      for (ReceivedLogRecord r : results.values()) {
        assertEquals(c[1], r.attr("error.type"), c[0]);
        assertFalse(r.hasAttr("gen_ai.evaluation.score.value"), "no guessed score: " + r);
      }
      long asked = judgeRequests(run).stream().filter(r -> r.body().contains(question(c[0]))).count();
      assertEquals(2, asked, c[0] + ": one request per evaluator, never retried");
      new OutputChecks(run, false).assertCounted("llm_otel.evaluations", c[0], "llm_otel.evaluation.result", c[1]);
    }
    // Logged once per kind of failure, not per call.
    assertEquals(1, run.app.output.split("evaluation: judge_error", -1).length - 1, run.tail());
  }

  @Test
  void aSlowJudgeLeavesTheAppsCallUnchanged() {
    ReceivedSpan call = run.onlyLlmSpan("eval-slow");
    ReceivedSpan scenario = run.scenario("eval-slow");
    ReceivedSpan judgeCall = judgeSpans(run).stream()
        .filter(s -> !s.links().isEmpty() && s.links().get(0).spanId().equals(call.spanId()))
        .findFirst().orElseThrow(() -> new AssertionError("no judge span linked to " + call));
    // The judge took its two seconds after the app's call had ended and after the app had moved on.
    assertTrue(judgeCall.durationNanos() >= Duration.ofMillis(SLOW_JUDGE_MS).toNanos(), judgeCall.toString());
    assertTrue(judgeCall.startEpochNanos() >= call.endEpochNanos(), "judged after the call ended");
    assertTrue(scenario.endEpochNanos() + Duration.ofMillis(SLOW_JUDGE_MS / 2).toNanos() < judgeCall.endEpochNanos(),
        "the app's scenario ended long before the judge answered");
    assertTrue(call.durationNanos() < Duration.ofMillis(SLOW_JUDGE_MS).toNanos(), call.toString());
    assertEquals(2, byEvaluator(results(run, call)).size());
  }

  @Test
  void anUnsampledWorkflowIsNeitherJudgedNorRecorded() {
    ReceivedSpan span = run.onlyLlmSpan("eval-unsampled");
    assertEquals(0, results(run, span).size());
    assertEquals(0, judgeRequests(run).stream().filter(r -> r.body().contains(question("eval-unsampled"))).count());
  }

  @Test
  void theJudgesCallsAreChatSpansOfTheirOwnWorkflowCostedAndNeverEvaluated() {
    List<ReceivedSpan> judged = judgeSpans(run);
    assertEquals(judgeRequests(run).size(), judged.size(), "one chat span per judge request");
    for (ReceivedSpan s : judged) {
      assertEquals("chat gpt-4o-mini", s.name());
      assertEquals("dev.llmotel.evaluation", s.scopeName());
      assertTrue(s.isRoot(), "a trace of its own: " + s);
      assertEquals(1, s.links().size(), "linked to the evaluated call");
      assertEquals(0, run.receiver.logRecords(RESULT).stream().filter(r -> r.spanId().equals(s.spanId())).count(),
          "a judge's call is never evaluated");
    }
    assertTrue(judged.stream().anyMatch(s -> s.doubleAttr("llm_otel.cost.usd") != null), "costed");
    // The bearer key went to the judge only, never into telemetry or the log.
    assertEquals("Bearer sk-judge-secret-key-9876543210",
        judgeRequests(run).get(0).headers().get("authorization").get(0));
    assertFalse(run.receiver.rawBytesContain("sk-judge-secret-key-9876543210"), "the judge's key is never exported");
    assertFalse(run.app.output.contains("sk-judge-secret-key-9876543210"), "the judge's key is never logged");
  }

  @Test
  void withContentCaptureOffNothingOfTheConversationIsExported() {
    // The questions and the fake answers ("Fake answer to: ...") reached the judge, never the exporter.
    assertTrue(judgeRequests(run).stream().anyMatch(r -> r.body().contains(question("eval-scored"))));
    assertFalse(run.receiver.rawBytesContain(question("eval-scored")), "the question is not exported");
    assertFalse(run.receiver.rawBytesContain("Fake answer to: Evaluation case"), "the answer is not exported");
    assertFalse(run.receiver.rawBytesContain("Fake judge:"), "the judge's explanation is not exported");
  }

  @Test
  void theEvaluationBudgetStopsTheJudgeBeforeItSpendsMore() {
    budgetRun.assertRanCleanly(budgetRunScenarios().size());
    List<ReceivedSpan> judged = judgeSpans(budgetRun);
    double spent = 0;
    for (ReceivedSpan s : judged) spent += s.doubleAttr("llm_otel.cost.usd");
    assertTrue(spent <= BUDGET_PER_HOUR_USD, "spent " + spent);
    long scored = 0;
    long overBudget = 0;
    for (int i = 1; i <= BUDGET_CALLS; i++) {
      ReceivedSpan call = budgetRun.onlyLlmSpan("eval-budget-" + i);
      List<ReceivedLogRecord> results = results(budgetRun, call);
      assertEquals(1, results.size(), "eval-budget-" + i + ": " + results);
      if ("over_budget".equals(results.get(0).attr("error.type"))) {
        overBudget++;
      } else {
        scored++;
        // Content capture is on in this run: the judge's explanation is exported, redacted and capped.
        assertEquals("Fake judge: the answer meets the rubric.", results.get(0).attr("gen_ai.evaluation.explanation"));
      }
    }
    assertTrue(scored >= 1 && overBudget >= 1, "scored " + scored + ", over budget " + overBudget);
    assertEquals(scored, judgeRequests(budgetRun).size(), "no judge call once the budget is spent");
    assertEquals(scored, judged.size());
    assertEquals(overBudget, sum(budgetRun, "over_budget"));
    assertEquals(scored, sum(budgetRun, "scored"));
  }

  @Test
  void anOperatorsRubricFromAFileIsAnEvaluatorLikeTheBuiltIns() {
    ReceivedSpan span = run.onlyLlmSpan("eval-custom");
    Map<String, ReceivedLogRecord> results = byEvaluator(results(run, span));
    assertEquals(new java.util.TreeSet<>(Arrays.asList("relevance", "terse")), results.keySet());
    assertEquals(0.7, results.get("terse").doubleAttr("gen_ai.evaluation.score.value"), 1e-9);
    assertEquals("terse", results.get("terse").attr("gen_ai.evaluation.score.label"));
    RecordedRequest asked = judgeRequests(run).stream().filter(r -> r.body().contains("Evaluator: terse.")).findFirst().get();
    assertTrue(asked.body().contains(TERSE_RUBRIC), "the rubric is the judge's instruction");
    assertTrue(asked.body().contains(question("eval-custom")));
    assertScored(run, "eval-custom", "terse", 0.7);
  }

  static List<String> budgetRunScenarios() {
    List<String> s = new ArrayList<>();
    for (int i = 1; i <= BUDGET_CALLS; i++) s.add("eval-budget-" + i);
    s.add("eval-wait");
    return s;
  }

  static long sum(SmokeRun run, String result) {
    long n = 0;
    for (ReceivedPoint p : run.receiver.latestPoints("llm_otel.evaluations")) {
      if (result.equals(p.attr("llm_otel.evaluation.result"))) n += p.longValue();
    }
    return n;
  }

  static void assertScored(SmokeRun run, String scenario, String evaluator, double score) {
    List<ReceivedPoint> points = run.receiver.latestPoints("llm_otel.evaluation.score").stream()
        .filter(p -> ("scenario " + scenario).equals(p.attr("llm_otel.workflow"))
            && evaluator.equals(p.attr("gen_ai.evaluation.name")))
        .collect(Collectors.toList());
    assertEquals(1, points.size(), scenario + ": " + run.receiver.latestPoints("llm_otel.evaluation.score"));
    assertEquals(1, points.get(0).count());
    assertEquals(score, points.get(0).sum(), 1e-9);
    assertEquals("gpt-4o-mini", points.get(0).attr("gen_ai.request.model"));
    assertNotNull(points.get(0).attr("llm_otel.prompt.version"));
  }
}
