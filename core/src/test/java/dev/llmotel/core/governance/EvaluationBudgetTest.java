package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.evaluation.EvaluationPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The judge's budget under concurrency (reserve the worst case, settle to the real cost, in one step
 * in the policy store) and the policy file's evaluation section.
 */
class EvaluationBudgetTest {
  static LlmCall judgeCall() {
    LlmCall call = new LlmCall("openai", "chat");
    call.request().requestModel("gpt-4o-mini").maxTokens(512L);
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Question and answer to judge.")));
    return call;
  }

  @Test
  void sixtyFourJudgeCallsStartedTogetherAdmitExactlyWhatTheBudgetHolds() throws Exception {
    Governance g = new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), new PolicySettings(), 100);
    // What one reservation holds: the budget's spend after one call reserved and nothing settled.
    Object probe = g.reserveEvaluation(judgeCall(), 0, 1_000);
    double estimate = g.evaluationSpent()[2];
    assertTrue(estimate > 0, "gpt-4o-mini is priced");
    g.settleEvaluation(probe, settled(0));
    assertEquals(0, g.evaluationSpent()[2], 1e-12);

    double cap = 5.5 * estimate;
    for (int round = 0; round < 10; round++) {
      ExecutorService pool = Executors.newFixedThreadPool(64);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> reservations = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        reservations.add(pool.submit(() -> {
          start.await();
          return g.reserveEvaluation(judgeCall(), cap, 0);
        }));
      }
      start.countDown();
      int admitted = 0;
      List<Object> held = new ArrayList<>();
      for (Future<Object> f : reservations) {
        Object r = f.get(10, TimeUnit.SECONDS);
        if (r != null) {
          admitted++;
          held.add(r);
        }
      }
      pool.shutdown();
      assertEquals(5, admitted, "round " + round);
      // The calls cost nothing in the end (settled to 0): the budget is free again for the next round.
      for (Object r : held) g.settleEvaluation(r, settled(0));
    }
  }

  @Test
  void withoutACapNothingIsReservedAndASettledCallCostsWhatItCost() {
    Governance g = new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), new PolicySettings(), 100);
    assertSame(Governance.NO_EVALUATION_BUDGET, g.reserveEvaluation(judgeCall(), 0, 0));
    Object r = g.reserveEvaluation(judgeCall(), 0, 1.0);
    assertNotNull(r);
    g.settleEvaluation(r, settled(0.25));
    assertEquals(0.25, g.evaluationSpent()[2], 1e-12);
    assertNull(g.reserveEvaluation(judgeCall(), 0, 0.25), "a spent budget refuses");
  }

  static LlmCall settled(double cost) {
    LlmCall call = judgeCall();
    call.governance().costUsd(cost);
    return call;
  }

  static EvaluationPolicy policy(String json) {
    return EvaluationPolicy.parse((Map<?, ?>) Json.parse(json));
  }

  @Test
  void thePolicyFileSamplesAndChoosesEvaluatorsPerWorkflow() {
    EvaluationPolicy p = policy("{\"sample_rate\": 0.2, \"evaluators\": [\"relevance\"], \"thresholds\": {\"relevance\": 0.7},"
        + " \"workflows\": {\"support\": {\"sample_rate\": 1, \"evaluators\": [\"relevance\", \"groundedness\"]},"
        + " \"batch\": {\"sample_rate\": 0}}}");
    List<String> configured = Arrays.asList("instruction_following");
    assertEquals(1.0, p.sampleRate("support", 0.1));
    assertEquals(0.0, p.sampleRate("batch", 0.1));
    assertEquals(0.2, p.sampleRate("other", 0.1));
    assertEquals(0.2, p.sampleRate(null, 0.1));
    assertEquals(Arrays.asList("relevance", "groundedness"), p.evaluators("support", configured));
    assertEquals(Arrays.asList("relevance"), p.evaluators("batch", configured), "the file's list when the workflow names none");
    assertEquals(0.1, EvaluationPolicy.NONE.sampleRate("support", 0.1), "no section: the configured rate");
    assertEquals(configured, EvaluationPolicy.NONE.evaluators("support", configured));
  }

  @Test
  void aBadEvaluationSectionIsRejectedWithWhatIsWrong() {
    for (String bad : new String[] {"{\"sample_rate\": 1.5}", "{\"sample_rate\": \"half\"}", "{\"evaluators\": \"relevance\"}",
        "{\"evaluators\": [1]}", "{\"thresholds\": {\"relevance\": 2}}", "{\"workflows\": {\"a\": 1}}",
        "{\"workflows\": {\"a\": {\"sample_rate\": -1}}}"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy(bad), bad);
      assertTrue(e.getMessage().startsWith("evaluation") || e.getMessage().contains("threshold"), e.getMessage());
    }
  }

  @Test
  void thePolicyFileCarriesTheSectionAndABadOneRejectsAReload() {
    List<String> problems = new ArrayList<>();
    PolicySettings good = PolicySettings.reload("p.json", "{\"evaluation\": {\"workflows\": {\"x\": {\"sample_rate\": 0}}},"
        + " \"loop_guard\": {\"mode\": \"monitor\", \"max_repeats\": 2}}", problems);
    assertEquals(Arrays.asList(), problems);
    assertEquals(0.0, good.evaluation.sampleRate("x", 1));
    PolicySettings bad = PolicySettings.reload("p.json", "{\"evaluation\": {\"sample_rate\": 9},"
        + " \"loop_guard\": {\"mode\": \"monitor\", \"max_repeats\": 2}}", problems);
    assertNull(bad, "a changed file with a bad section is rejected whole");
    assertTrue(problems.stream().anyMatch(p -> p.contains("\"evaluation\" is invalid")), problems.toString());
  }

  @Test
  void aJudgesCallTakesNothingFromTheAppsLimitsAndIsNeverRefusedByThem() {
    PolicySettings s = GovernanceSettlementTest.budget(); // an enforced process budget of 1 USD an hour
    s.processCaps.perHour = 1e-9; // less than any call: every app call is refused
    Governance g = GovernanceSettlementTest.governance(s);
    LlmCall app = judgeCall();
    g.beforeCall(io.opentelemetry.context.Context.root(), app);
    assertNotNull(app.governance().refusal(), "the app's call is refused by its budget");
    LlmCall judge = judgeCall();
    judge.evaluation().markJudge();
    g.beforeCall(io.opentelemetry.context.Context.root(), judge);
    assertNull(judge.governance().refusal());
    assertTrue(judge.governance().policyDecisions().isEmpty(), "the app's policies leave it alone");
    judge.response().usage(1000L, 100L);
    g.afterCall(judge, 0);
    assertTrue(judge.governance().costUsd() > 0, "still costed");
    assertEquals(0, g.spent("cost/process")[1], 1e-12, "nothing of it in the app's budget");
  }
}
