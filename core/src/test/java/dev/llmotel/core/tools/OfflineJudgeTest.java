package dev.llmotel.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import dev.llmotel.core.evaluation.EvaluationSubject;
import dev.llmotel.core.evaluation.Evaluators;
import dev.llmotel.core.evaluation.JudgeFailure;
import dev.llmotel.core.http.RecordedExchanges;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The offline judge (online evaluation's exchange and verdict reading, without the span and budget the
 * OpenTelemetry API gives): a verdict is read with the judge's tokens, garbage is judge_invalid, an
 * unreachable judge is a judge_error (the exchange's own timeouts: EvaluationPartsTest).
 */
class OfflineJudgeTest {
  static EvaluationSubject subject() {
    Map<?, ?> record = (Map<?, ?>) Json.parse(OfflineEvaluationTest.record("w", "v1", null, "Q?", null, "A."));
    return EvaluationSubject.of(RecordedExchanges.rebuild(record,
        c -> c.evaluation().sample(List.of(Evaluators.RELEVANCE))));
  }

  @Test
  void aVerdictComesWithTheJudgesTokensAndGarbageIsInvalid() throws Exception {
    try (dev.llmotel.testkit.fakellm.FakeLlmServer fake = dev.llmotel.testkit.fakellm.FakeLlmServer.start(0)) {
      OfflineJudge judge = new OfflineJudge(fake.baseUrl() + "/v1", "gpt-4o-mini", null, 5_000);
      OfflineEvaluation.Verdict v = judge.judge(Evaluators.builtIn().get(Evaluators.RELEVANCE), subject());
      assertEquals(dev.llmotel.testkit.fakellm.FakeLlmServer.DEFAULT_JUDGE_SCORE, v.score, 1e-9);
      assertTrue(v.inputTokens != null && v.inputTokens > 0, String.valueOf(v.inputTokens));
      fake.scriptJudge("Evaluator: relevance.", dev.llmotel.testkit.fakellm.Behaviour.answerText("8/10"), 0);
      v = judge.judge(Evaluators.builtIn().get(Evaluators.RELEVANCE), subject());
      assertEquals(JudgeFailure.INVALID, v.failure, v.failureMessage);
    }
  }

  @Test
  void anUnreachableJudgeIsAJudgeError() {
    OfflineJudge judge = new OfflineJudge("http://127.0.0.1:9/v1", "m", null, 500);
    OfflineEvaluation.Verdict v = judge.judge(Evaluators.builtIn().get(Evaluators.RELEVANCE), subject());
    assertEquals(JudgeFailure.ERROR, v.failure, v.failureMessage);
  }
}
