package dev.llmotel.core.evaluation;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.governance.Governance;
import dev.llmotel.core.http.RecordedExchanges;
import dev.llmotel.semconv.GenAiValues;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;

/**
 * Asks the judge (any OpenAI-compatible chat completions endpoint) for one verdict. Each request is
 * an LLM call of its own, traced and costed like any (a chat span of the workflow
 * {@value LlmOtelAttributes#WORKFLOW_EVALUATION}, in a trace of its own linked to the evaluated
 * call's span), marked as a judge's so it is never evaluated and takes nothing from the app's
 * policies (its limits, budgets, refusals), within the evaluation budget of its own. Never retried.
 */
public final class JudgeClient {
  private final JudgeSettings settings;
  private final LlmInstrumenter instrumenter;
  private final JudgeExchange exchange;

  public JudgeClient(JudgeSettings settings, LlmInstrumenter instrumenter) {
    this.settings = settings;
    this.instrumenter = instrumenter;
    this.exchange = new JudgeExchange(settings.baseUrl, settings.apiKey, settings.timeoutMillis);
  }

  public JudgeSettings settings() {
    return settings;
  }

  /** One verdict, or a {@link JudgeFailure} saying why there is none. Runs on the caller's thread. */
  public JudgeVerdict judge(Evaluator evaluator, EvaluationSubject subject, SpanContext evaluated)
      throws JudgeFailure {
    Map<String, Object> request = JudgePrompt.request(settings.model, evaluator, subject);
    String body = Json.write(request);
    LlmCall call = new LlmCall(GenAiValues.PROVIDER_OPENAI, "chat");
    call.evaluation().markJudge();
    call.governance().policiesMonitorOnly();
    RecordedExchanges.openAiChatRequest(call, (Map<?, ?>) Json.parse(body));
    call.request().server(settings.baseUrl);
    if (evaluated != null && evaluated.isValid()) call.addLink(evaluated);

    Object reservation = Governance.get().reserveEvaluation(call, settings.budgetPerHourUsd, settings.budgetPerDayUsd);
    if (reservation == null) throw new JudgeFailure(JudgeFailure.OVER_BUDGET, "the evaluation budget is spent");

    Context parent = Context.root().with(Baggage.builder()
        .put(GOVERNANCE_WORKFLOW_BAGGAGE, LlmOtelAttributes.WORKFLOW_EVALUATION).build());
    Context context = instrumenter == null ? null : instrumenter.start(parent, call);
    JudgeFailure failure = null;
    Throwable spanError = null;
    JudgeVerdict verdict = null;
    try (Scope ignored = context == null ? null : context.makeCurrent()) {
      Map<?, ?> completion = exchange.send(body);
      RecordedExchanges.openAiChatResponse(call, completion);
      verdict = JudgeVerdict.parse(JudgeExchange.content(completion), null);
    } catch (JudgeFailure f) {
      failure = f;
      // An answer that does not fit is on the span as its output validation; an error or timeout is the span's error.
      if (!JudgeFailure.INVALID.equals(f.result)) spanError = f.getCause() != null ? f.getCause() : f;
    } catch (RuntimeException e) {
      failure = new JudgeFailure(JudgeFailure.ERROR, "the judge call failed: " + e.getClass().getSimpleName(), e);
      spanError = e;
    } finally {
      if (context != null) {
        instrumenter.end(context, call, spanError);
      } else {
        Governance.get().afterCall(call, 0); // still costed without a span (offline, tracing suppressed)
      }
      Governance.get().settleEvaluation(reservation, call);
    }
    if (failure != null) throw failure;
    return new JudgeVerdict(verdict.score, verdict.label, verdict.explanation, call.governance().costUsd());
  }

  /** The baggage key that names a call's workflow (the governance reads it). */
  private static final String GOVERNANCE_WORKFLOW_BAGGAGE = "llm_otel.workflow";
}
