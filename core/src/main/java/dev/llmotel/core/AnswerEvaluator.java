package dev.llmotel.core;

import dev.llmotel.core.evaluation.EvaluationPolicy;
import dev.llmotel.core.evaluation.EvaluationSettings;
import dev.llmotel.core.evaluation.EvaluationSubject;
import dev.llmotel.core.evaluation.Evaluator;
import dev.llmotel.core.evaluation.JudgeClient;
import dev.llmotel.core.evaluation.JudgeFailure;
import dev.llmotel.core.evaluation.JudgeVerdict;
import dev.llmotel.core.governance.Governance;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

/**
 * Online evaluation: samples calls when they start (so that only a sampled call keeps its answer's
 * text), and when a sampled call has ended with an answer hands it to the judge on llm-otel's own
 * bounded executor, never on the app's thread. Each evaluator's verdict becomes a
 * {@code gen_ai.evaluation.result} log record in the evaluated call's span context, a point of the
 * {@code llm_otel.evaluation.score} histogram, and under its threshold an escalation (reason
 * {@code evaluation}). A full queue drops and counts; a failing or slow judge is counted and logged
 * once, never retried. One per {@link LlmInstrumenter}; the executor is one per class loader.
 */
final class AnswerEvaluator {
  static final String SCORED = "scored";
  static final String DROPPED = "dropped";
  private static final Set<String> OPERATIONS = Collections.unmodifiableSet(new java.util.HashSet<>(Arrays.asList(
      "chat", "text_completion", "generate_content")));
  private static final java.util.logging.Logger log = java.util.logging.Logger.getLogger(AnswerEvaluator.class.getName());
  private static final Set<String> reported = ConcurrentHashMap.newKeySet();
  private static volatile ThreadPoolExecutor executor;
  /** After this many judge errors or timeouts in a row, evaluations pause (the judge is down, not one call). */
  static final int FAILURES_BEFORE_PAUSE = 5;
  static final long PAUSE_MILLIS = 30_000;
  private static final AtomicInteger failuresInARow = new AtomicInteger();
  private static volatile long pausedUntilNanos = System.nanoTime();
  /** A test's settings in place of the configured ones. */
  private static volatile EvaluationSettings override;

  private final OpenTelemetry openTelemetry;
  private final AnswerReviewer reviewer;
  private final DoubleHistogram scores;
  private final LongCounter evaluations;
  private final Logger logger;
  private final LlmOtelConfig config;
  private volatile JudgeClient judge;

  AnswerEvaluator(Meter meter, OpenTelemetry openTelemetry, String instrumentationName, LlmOtelConfig config,
      AnswerReviewer reviewer) {
    this.openTelemetry = openTelemetry;
    this.reviewer = reviewer;
    this.config = config;
    scores = meter.histogramBuilder("llm_otel.evaluation.score")
        .setUnit("{score}")
        .setDescription("Scores the judge gave sampled answers (0 to 1), by evaluator, workflow, model and prompt version.")
        .setExplicitBucketBoundariesAdvice(Arrays.asList(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0))
        .build();
    evaluations = meter.counterBuilder("llm_otel.evaluations")
        .setUnit("{evaluation}")
        .setDescription("Evaluations of sampled answers, by evaluator and result (scored, or why there is no score).")
        .build();
    logger = openTelemetry.getLogsBridge().get(instrumentationName);
  }

  static EvaluationSettings settings() {
    EvaluationSettings o = override;
    return o != null ? o : EvaluationSettings.get();
  }

  /** Tests only: these settings instead of the configured ones (null: back to the configured). */
  static void overrideSettings(EvaluationSettings settings) {
    override = settings;
    failuresInARow.set(0);
    pausedUntilNanos = System.nanoTime();
    synchronized (AnswerEvaluator.class) {
      ThreadPoolExecutor e = executor;
      executor = null; // the next evaluation starts one sized by these settings
      if (e != null) e.shutdown();
    }
  }

  /** At call start, after governance named the workflow: whether this call's answer goes to the judge. */
  void sample(LlmCall call) {
    EvaluationSettings settings = settings();
    if (!settings.enabled || call.evaluation().isJudge() || !OPERATIONS.contains(call.operation())) return;
    EvaluationPolicy policy = Governance.get().evaluationPolicy();
    String workflow = call.governance().workflow();
    double rate = policy.sampleRate(workflow, settings.sampleRate);
    if (rate <= 0 || (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate)) return;
    List<String> names = policy.evaluators(workflow, settings.evaluatorNames);
    List<String> known = new ArrayList<>(names.size());
    for (String n : names) if (settings.evaluators.get(n) != null) known.add(n);
    call.evaluation().sample(known);
  }

  /** At call end, on the thread that ends it: a sampled call with an answer is queued for the judge. */
  void submit(Context context, LlmCall call, Throwable error) {
    if (!call.evaluation().sampled() || error != null || call.response().unusableResponse() != null) return;
    EvaluationSubject subject = EvaluationSubject.of(call);
    if (subject == null) return;
    EvaluationSettings settings = settings();
    EvaluationPolicy policy = Governance.get().evaluationPolicy();
    List<Evaluator> evaluators = new ArrayList<>();
    for (String name : call.evaluation().evaluators()) {
      Evaluator e = policy.withThreshold(settings.evaluators.get(name));
      if (e != null && e.appliesTo(subject)) evaluators.add(e);
    }
    if (evaluators.isEmpty()) return;
    try {
      executor(settings).execute(() -> evaluate(context, call, subject, evaluators, settings));
    } catch (RejectedExecutionException full) {
      for (Evaluator e : evaluators) count(call, e.name, DROPPED, context);
      once(DROPPED, "the evaluation queue is full (" + settings.queueSize + "): sampled answers are dropped and "
          + "counted; raise " + EvaluationSettings.PREFIX + "queue-size or lower the sample rate");
    }
  }

  private void evaluate(Context context, LlmCall call, EvaluationSubject subject, List<Evaluator> evaluators,
      EvaluationSettings settings) {
    SpanContext evaluated = Span.fromContext(context).getSpanContext();
    for (Evaluator e : evaluators) {
      try {
        if (System.nanoTime() - pausedUntilNanos < 0) {
          // The judge has failed again and again: no request to it until the pause is over.
          count(call, e.name, DROPPED, context);
          continue;
        }
        JudgeVerdict verdict = judge(settings).judge(e, subject, evaluated);
        failuresInARow.set(0);
        record(context, call, subject, e, verdict);
      } catch (JudgeFailure f) {
        count(call, e.name, f.result, context);
        emitResult(context, subject, e, null, f.result);
        once(f.result, f.getMessage());
        if (JudgeFailure.ERROR.equals(f.result) || JudgeFailure.TIMEOUT.equals(f.result)) {
          if (failuresInARow.incrementAndGet() >= FAILURES_BEFORE_PAUSE) {
            failuresInARow.set(0);
            pausedUntilNanos = System.nanoTime() + PAUSE_MILLIS * 1_000_000L;
            once("paused", FAILURES_BEFORE_PAUSE + " judge errors or timeouts in a row: evaluations pause for "
                + PAUSE_MILLIS / 1000 + " s at a time (counted as dropped) rather than keep calling a judge that is down");
          }
        } else {
          failuresInARow.set(0);
        }
      } catch (Throwable t) {
        SafeHooks.failed("evaluation", t);
      }
    }
  }

  private void record(Context context, LlmCall call, EvaluationSubject subject, Evaluator e, JudgeVerdict verdict) {
    AttributesBuilder a = CallCounters.callAttributes(call).put(GenAiAttributes.EVALUATION_NAME, e.name);
    if (subject.promptVersion != null) a.put(LlmOtelAttributes.PROMPT_VERSION, subject.promptVersion);
    scores.record(verdict.score, a.build(), context);
    count(call, e.name, SCORED, context);
    emitResult(context, subject, e, verdict, null);
    if (verdict.score < e.threshold) {
      LogRecordBuilder escalation = reviewer.escalation(context, call, AnswerReviewer.EVALUATION)
          .setAttribute(GenAiAttributes.EVALUATION_NAME, e.name)
          .setAttribute(GenAiAttributes.EVALUATION_SCORE_VALUE, verdict.score)
          .setAttribute(GenAiAttributes.EVALUATION_SCORE_LABEL, verdict.label);
      escalation.emit();
    }
  }

  /** The gen_ai.evaluation.result record: a verdict, or (error.type) why there is none. */
  private void emitResult(Context context, EvaluationSubject subject, Evaluator e, JudgeVerdict verdict, String failure) {
    LogRecordBuilder r = logger.logRecordBuilder()
        .setEventName(GenAiAttributes.EVENT_EVALUATION_RESULT)
        .setContext(context)
        .setSeverity(failure == null ? Severity.INFO : Severity.WARN)
        .setAttribute(GenAiAttributes.EVALUATION_NAME, e.name)
        .setAttribute(GenAiAttributes.PROVIDER_NAME, subject.provider);
    AnswerReviewer.putIfNotNull(r, GenAiAttributes.RESPONSE_ID, subject.responseId);
    AnswerReviewer.putIfNotNull(r, GenAiAttributes.REQUEST_MODEL, subject.requestModel);
    AnswerReviewer.putIfNotNull(r, LlmOtelAttributes.WORKFLOW, subject.workflow);
    AnswerReviewer.putIfNotNull(r, LlmOtelAttributes.PROMPT_VERSION, subject.promptVersion);
    if (verdict != null) {
      r.setAttribute(GenAiAttributes.EVALUATION_SCORE_VALUE, verdict.score);
      r.setAttribute(GenAiAttributes.EVALUATION_SCORE_LABEL, verdict.label);
      // The judge's explanation may quote the question or the answer: content, exported only where capture is on.
      if (config.captureContent()) {
        String explanation = Redactor.get().redact(verdict.explanation);
        r.setAttribute(GenAiAttributes.EVALUATION_EXPLANATION,
            explanation.length() > config.contentMaxLength() ? explanation.substring(0, config.contentMaxLength()) : explanation);
      }
    } else {
      r.setAttribute(GenAiAttributes.ERROR_TYPE, failure);
    }
    r.emit();
  }

  private void count(LlmCall call, String evaluator, String result, Context context) {
    evaluations.add(1, CallCounters.callAttributes(call).put(GenAiAttributes.EVALUATION_NAME, evaluator)
        .put(LlmOtelAttributes.EVALUATION_RESULT, result).build(), context);
  }

  private JudgeClient judge(EvaluationSettings settings) {
    JudgeClient j = judge;
    if (j == null || j.settings() != settings.judge) {
      j = new JudgeClient(settings.judge, LlmInstrumenter.createForJudge(openTelemetry));
      judge = j;
    }
    return j;
  }

  private static ThreadPoolExecutor executor(EvaluationSettings settings) {
    ThreadPoolExecutor e = executor;
    if (e == null) {
      synchronized (AnswerEvaluator.class) {
        e = executor;
        if (e == null) {
          AtomicInteger n = new AtomicInteger();
          e = new ThreadPoolExecutor(settings.workers, settings.workers, 60, TimeUnit.SECONDS,
              new ArrayBlockingQueue<Runnable>(settings.queueSize), r -> {
                Thread t = new Thread(r, "llm-otel-evaluation-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              }, new ThreadPoolExecutor.AbortPolicy());
          e.allowCoreThreadTimeOut(true);
          executor = e;
        }
      }
    }
    return e;
  }

  /** Tests only: waits until every queued evaluation has run. */
  static boolean awaitIdle(long millis) throws InterruptedException {
    ThreadPoolExecutor e = executor;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (e != null && (e.getActiveCount() > 0 || !e.getQueue().isEmpty())) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(5);
    }
    return true;
  }

  private static void once(String kind, String message) {
    if (reported.size() < 100 && reported.add(kind)) {
      log.log(Level.WARNING, "llm-otel: evaluation: {0} ({1}); counted in llm_otel.evaluations, logged once",
          new Object[] {kind, message});
    }
  }
}
