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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Asks the judge (any OpenAI-compatible chat completions endpoint) for one verdict. Each request is
 * an LLM call of its own, traced and costed like any (a chat span of the workflow
 * {@value LlmOtelAttributes#WORKFLOW_EVALUATION}, in a trace of its own linked to the evaluated
 * call's span), marked as a judge's so it is never evaluated and takes nothing from the app's
 * policies (its limits, budgets, refusals), within the evaluation budget of its own. Never retried.
 */
public final class JudgeClient {
  /** Largest judge answer read: a verdict is a few hundred bytes. */
  static final int MAX_ANSWER_BYTES = 256 * 1024;

  private final JudgeSettings settings;
  private final LlmInstrumenter instrumenter;

  public JudgeClient(JudgeSettings settings, LlmInstrumenter instrumenter) {
    this.settings = settings;
    this.instrumenter = instrumenter;
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
      String answer = post(body);
      Map<?, ?> parsed = answer == null ? null : asMap(answer);
      if (parsed == null) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's response is not a chat completion");
      RecordedExchanges.openAiChatResponse(call, parsed);
      verdict = JudgeVerdict.parse(content(parsed), null);
    } catch (JudgeFailure f) {
      failure = f;
      if (!JudgeFailure.INVALID.equals(f.result)) spanError = f;
    } catch (SocketTimeoutException e) {
      failure = new JudgeFailure(JudgeFailure.TIMEOUT, "the judge did not answer within " + settings.timeoutMillis + " ms");
      spanError = e;
    } catch (IOException | RuntimeException e) {
      failure = new JudgeFailure(JudgeFailure.ERROR, "the judge call failed: " + e.getClass().getSimpleName());
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

  private String post(String body) throws IOException, JudgeFailure {
    // The whole exchange within the timeout: a judge that trickles its answer byte by byte is slow too.
    long deadline = System.nanoTime() + settings.timeoutMillis * 1_000_000L;
    URL url = new URL(settings.baseUrl.replaceAll("/+$", "") + "/chat/completions");
    HttpURLConnection http = (HttpURLConnection) url.openConnection();
    try {
      http.setConnectTimeout((int) Math.min(settings.timeoutMillis, 5_000));
      http.setReadTimeout((int) settings.timeoutMillis);
      http.setRequestMethod("POST");
      http.setDoOutput(true);
      http.setRequestProperty("Content-Type", "application/json");
      if (settings.apiKey != null && !settings.apiKey.isEmpty()) {
        http.setRequestProperty("Authorization", "Bearer " + settings.apiKey);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      http.setFixedLengthStreamingMode(bytes.length);
      try (OutputStream out = http.getOutputStream()) {
        out.write(bytes);
      }
      int status = http.getResponseCode();
      if (status / 100 != 2) {
        drain(http.getErrorStream());
        throw new JudgeFailure(JudgeFailure.ERROR, "the judge answered HTTP " + status);
      }
      return read(http.getInputStream(), deadline);
    } finally {
      http.disconnect();
    }
  }

  private static String read(InputStream in, long deadline) throws IOException, JudgeFailure {
    if (in == null) return null;
    try (InputStream s = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      byte[] buf = new byte[8192];
      for (int n; (n = s.read(buf)) > 0; ) {
        if (out.size() + n > MAX_ANSWER_BYTES) throw new JudgeFailure(JudgeFailure.INVALID, "the judge's answer is too large");
        if (System.nanoTime() > deadline) throw new SocketTimeoutException("the judge's answer took too long");
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }

  private static void drain(InputStream in) {
    if (in == null) return;
    try (InputStream s = in) {
      byte[] buf = new byte[8192];
      int total = 0;
      for (int n; (n = s.read(buf)) > 0 && total < MAX_ANSWER_BYTES; ) total += n;
    } catch (IOException ignored) {
      // the status already says what went wrong
    }
  }

  private static Map<?, ?> asMap(String text) {
    try {
      Object o = Json.parse(text);
      return o instanceof Map ? (Map<?, ?>) o : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** choices[0].message.content of a chat completion, or null. */
  private static String content(Map<?, ?> completion) {
    Object choices = completion.get("choices");
    if (!(choices instanceof List) || ((List<?>) choices).isEmpty()) return null;
    Object first = ((List<?>) choices).get(0);
    if (!(first instanceof Map)) return null;
    Object message = ((Map<?, ?>) first).get("message");
    if (!(message instanceof Map)) return null;
    Object content = ((Map<?, ?>) message).get("content");
    return content instanceof String ? (String) content : null;
  }
}
