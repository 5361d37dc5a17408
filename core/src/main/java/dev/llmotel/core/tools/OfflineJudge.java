package dev.llmotel.core.tools;

import dev.llmotel.core.Json;
import dev.llmotel.core.evaluation.EvaluationSubject;
import dev.llmotel.core.evaluation.Evaluator;
import dev.llmotel.core.evaluation.JudgeExchange;
import dev.llmotel.core.evaluation.JudgeFailure;
import dev.llmotel.core.evaluation.JudgePrompt;
import dev.llmotel.core.evaluation.JudgeVerdict;
import java.util.Map;

/**
 * The offline command's judge: the same request as online evaluation's ({@link JudgePrompt}: the same
 * rubrics, material, redaction and answer schema), sent by the same {@link JudgeExchange} and read by
 * the same {@link JudgeVerdict#parse} (anything but the evaluation object is {@code judge_invalid},
 * never guessed into a score). Never retried. Without the online client's span and budget: those need
 * the OpenTelemetry API, which the extension jar run on its own ({@code java -jar}) does not have; the
 * judge's tokens are reported instead.
 */
final class OfflineJudge implements OfflineEvaluation.Judge {
  private final String model;
  private final JudgeExchange exchange;

  OfflineJudge(String baseUrl, String model, String apiKey, int timeoutMillis) {
    this.model = model;
    this.exchange = new JudgeExchange(baseUrl, apiKey, timeoutMillis);
  }

  @Override
  public OfflineEvaluation.Verdict judge(Evaluator evaluator, EvaluationSubject subject) {
    Map<?, ?> completion;
    try {
      completion = exchange.send(Json.write(JudgePrompt.request(model, evaluator, subject)));
    } catch (JudgeFailure f) {
      return OfflineEvaluation.Verdict.failed(f.result, f.getMessage(), null, null);
    }
    Long in = null;
    Long out = null;
    if (completion.get("usage") instanceof Map) {
      Map<?, ?> usage = (Map<?, ?>) completion.get("usage");
      in = usage.get("prompt_tokens") instanceof Number ? ((Number) usage.get("prompt_tokens")).longValue() : null;
      out = usage.get("completion_tokens") instanceof Number
          ? ((Number) usage.get("completion_tokens")).longValue() : null;
    }
    try {
      JudgeVerdict v = JudgeVerdict.parse(JudgeExchange.content(completion), null);
      return OfflineEvaluation.Verdict.scored(v.score, v.label, v.explanation, in, out);
    } catch (JudgeFailure f) {
      return OfflineEvaluation.Verdict.failed(f.result, f.getMessage(), in, out);
    }
  }
}
