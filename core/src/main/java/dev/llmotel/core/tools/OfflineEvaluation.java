package dev.llmotel.core.tools;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.evaluation.EvaluationSubject;
import dev.llmotel.core.evaluation.Evaluator;
import dev.llmotel.core.evaluation.Evaluators;
import dev.llmotel.core.http.RecordedExchanges;
import dev.llmotel.semconv.LlmOtelAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores every interaction of a record-mode file: each record is rebuilt into a call the way the live
 * layers map it ({@link RecordedExchanges#rebuild}), what a judge reads of it is taken as online
 * ({@link EvaluationSubject#of}), and each chosen evaluator that applies to it asks the judge, a few
 * calls at a time. Scores are aggregated per workflow, prompt version and evaluator, and per workflow and
 * evaluator (what a baseline is compared by: a prompt change gives the prompt a new version).
 */
final class OfflineEvaluation {
  /** Filed under this when the record names no workflow or no prompt version. */
  static final String NONE = "(none)";

  /** Asks the judge for one verdict; never throws (a failure is a verdict with a result). */
  interface Judge {
    Verdict judge(Evaluator evaluator, EvaluationSubject subject);
  }

  /** A judge's answer for one evaluator and one interaction: a score, or the failure's result. */
  static final class Verdict {
    final Double score;
    final String label;
    final String explanation;
    /** Null when scored, else {@code judge_error}, {@code judge_timeout}, {@code judge_invalid}. */
    final String failure;
    final String failureMessage;
    final Long inputTokens;
    final Long outputTokens;

    private Verdict(Double score, String label, String explanation, String failure, String failureMessage,
        Long inputTokens, Long outputTokens) {
      this.score = score;
      this.label = label;
      this.explanation = explanation;
      this.failure = failure;
      this.failureMessage = failureMessage;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
    }

    static Verdict scored(double score, String label, String explanation, Long inputTokens, Long outputTokens) {
      return new Verdict(score, label, explanation, null, null, inputTokens, outputTokens);
    }

    static Verdict failed(String result, String message, Long inputTokens, Long outputTokens) {
      return new Verdict(null, null, null, result, message, inputTokens, outputTokens);
    }
  }

  /** What groups are keyed by: workflow, prompt (name may be null) and evaluator. */
  static final class GroupKey {
    final String workflow;
    final String promptName;
    final String promptVersion;
    final String evaluator;

    GroupKey(String workflow, String promptName, String promptVersion, String evaluator) {
      this.workflow = workflow;
      this.promptName = promptName;
      this.promptVersion = promptVersion;
      this.evaluator = evaluator;
    }

    /** The prompt as shown: its version, after its name when the registry names it. */
    String prompt() {
      if (promptVersion == null) return null;
      return promptName == null ? promptVersion : promptName + "@" + promptVersion;
    }

    String id() {
      return workflow + '\u0000' + (promptName == null ? "" : promptName) + '\u0000'
          + (promptVersion == null ? "" : promptVersion) + '\u0000' + evaluator;
    }
  }

  /** One judge call's result, in the order of the recording. */
  static final class Result {
    final int line;
    final String traceId;
    final String spanId;
    final GroupKey key;
    final Verdict verdict;

    Result(int line, String traceId, String spanId, GroupKey key, Verdict verdict) {
      this.line = line;
      this.traceId = traceId;
      this.spanId = spanId;
      this.key = key;
      this.verdict = verdict;
    }
  }

  /** Everything a run found: counts, every result, and the aggregates. */
  static final class Outcome {
    int records;
    int unreadable;
    /** Records with no text answer to score: tool calls, errors, embeddings, formats this version does not read. */
    int notScorable;
    /** The judge's own calls (workflow llm_otel.evaluation), which are never evaluated. */
    int judgeCalls;
    /** Interactions that had an answer and at least one evaluator asked about it. */
    int evaluated;
    final List<Result> results = new ArrayList<>();
    /** Per workflow, prompt version and evaluator, sorted. */
    final Map<String, Group> groups = new LinkedHashMap<>();
    /** Per workflow and evaluator (all prompt versions), sorted. */
    final Map<String, Group> workflows = new LinkedHashMap<>();
    final Map<String, Integer> failures = new TreeMap<>();
    long judgeInputTokens;
    long judgeOutputTokens;

    int scored() {
      int n = 0;
      for (Result r : results) if (r.verdict.score != null) n++;
      return n;
    }

    int failed() {
      return results.size() - scored();
    }
  }

  /** The aggregate of one group: its key (prompt null for a workflow total) and its scores. */
  static final class Group {
    final GroupKey key;
    final double threshold;
    final ScoreStats stats = new ScoreStats();

    Group(GroupKey key, double threshold) {
      this.key = key;
      this.threshold = threshold;
    }
  }

  private final Evaluators evaluators;
  private final List<String> names;
  private final Judge judge;
  private final int concurrency;

  OfflineEvaluation(Evaluators evaluators, List<String> names, Judge judge, int concurrency) {
    this.evaluators = evaluators;
    this.names = names;
    this.judge = judge;
    this.concurrency = Math.max(1, concurrency);
  }

  /** A unit of work: one interaction and one evaluator. */
  private static final class Task {
    final int line;
    final Map<?, ?> record;
    final GroupKey key;
    final Evaluator evaluator;
    final EvaluationSubject subject;

    Task(int line, Map<?, ?> record, GroupKey key, Evaluator evaluator, EvaluationSubject subject) {
      this.line = line;
      this.record = record;
      this.key = key;
      this.evaluator = evaluator;
      this.subject = subject;
    }
  }

  /**
   * Scores the records (null entries are lines that were not JSON objects). {@code progress} is told
   * after each judge call (done, total); it may be null.
   */
  Outcome run(List<Map<?, ?>> records, Progress progress) throws InterruptedException {
    Outcome outcome = new Outcome();
    List<Task> tasks = new ArrayList<>();
    Map<String, Group> groups = new TreeMap<>();
    int line = 0;
    for (Map<?, ?> record : records) {
      line++;
      outcome.records++;
      if (record == null) {
        outcome.unreadable++;
        continue;
      }
      String workflow = text(record.get("workflow"));
      if (LlmOtelAttributes.WORKFLOW_EVALUATION.equals(workflow)) {
        outcome.judgeCalls++;
        continue;
      }
      EvaluationSubject subject = subject(record);
      if (subject == null) {
        outcome.notScorable++;
        continue;
      }
      String version = text(record.get("prompt_version"));
      String name = version == null ? null : text(record.get("prompt_name"));
      boolean any = false;
      for (String n : names) {
        Evaluator evaluator = evaluators.get(n);
        GroupKey key = new GroupKey(workflow == null ? NONE : workflow, name, version == null ? NONE : version, n);
        Group group = groups.get(sortKey(key));
        if (group == null) {
          group = new Group(key, evaluator.threshold);
          groups.put(sortKey(key), group);
        }
        if (!evaluator.appliesTo(subject)) {
          group.stats.notApplicable++;
          continue;
        }
        any = true;
        tasks.add(new Task(line, record, key, evaluator, subject));
      }
      if (any) outcome.evaluated++;
    }
    for (Group g : groups.values()) outcome.groups.put(g.key.id(), g);

    List<Verdict> verdicts = judgeAll(tasks, progress);
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      Verdict v = verdicts.get(i);
      outcome.results.add(new Result(t.line, text(t.record.get("trace_id")), text(t.record.get("span_id")), t.key, v));
      Group group = outcome.groups.get(t.key.id());
      if (v.score != null) {
        group.stats.add(v.score, t.evaluator.threshold);
      } else {
        group.stats.failed(v.failure);
        outcome.failures.merge(v.failure, 1, Integer::sum);
      }
      if (v.inputTokens != null) outcome.judgeInputTokens += v.inputTokens;
      if (v.outputTokens != null) outcome.judgeOutputTokens += v.outputTokens;
    }
    rollUp(outcome);
    return outcome;
  }

  /** Told after each judge call. */
  interface Progress {
    void done(int done, int total);
  }

  private List<Verdict> judgeAll(List<Task> tasks, Progress progress) throws InterruptedException {
    List<Verdict> out = new ArrayList<>(tasks.size());
    if (tasks.isEmpty()) return out;
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, tasks.size()), r -> {
      Thread t = new Thread(r, "llm-otel-judge-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    AtomicInteger done = new AtomicInteger();
    try {
      List<Future<Verdict>> futures = new ArrayList<>(tasks.size());
      for (Task t : tasks) {
        futures.add(pool.submit(() -> {
          Verdict v;
          try {
            v = judge.judge(t.evaluator, t.subject);
          } catch (RuntimeException e) {
            v = Verdict.failed(dev.llmotel.core.evaluation.JudgeFailure.ERROR,
                "the judge call failed: " + e.getClass().getSimpleName(), null, null);
          }
          if (progress != null) progress.done(done.incrementAndGet(), tasks.size());
          return v;
        }));
      }
      for (Future<Verdict> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          out.add(Verdict.failed(dev.llmotel.core.evaluation.JudgeFailure.ERROR, "the judge call failed: "
              + e.getCause().getClass().getSimpleName(), null, null));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /** The per-workflow totals from the groups: every prompt version's scores together. */
  private void rollUp(Outcome outcome) {
    Map<String, Group> totals = new TreeMap<>();
    for (Group g : outcome.groups.values()) {
      GroupKey key = new GroupKey(g.key.workflow, null, null, g.key.evaluator);
      String sort = sortKey(key);
      Group total = totals.get(sort);
      if (total == null) {
        total = new Group(key, g.threshold);
        totals.put(sort, total);
      }
      total.stats.addAll(g.stats);
    }
    for (Group g : totals.values()) outcome.workflows.put(g.key.id(), g);
  }

  /** Groups sort by workflow, prompt, then the evaluators in the order chosen. */
  private String sortKey(GroupKey key) {
    int index = names.indexOf(key.evaluator);
    return key.workflow + '\u0000' + (key.promptName == null ? "" : key.promptName) + '\u0000'
        + (key.promptVersion == null ? "" : key.promptVersion) + '\u0000' + String.format(java.util.Locale.ROOT, "%04d", index);
  }

  /** What the judge reads of a record, or null when it has no text answer (or cannot be read as a call). */
  private EvaluationSubject subject(Map<?, ?> record) {
    LlmCall call;
    try {
      call = RecordedExchanges.rebuild(record, c -> c.evaluation().sample(names));
    } catch (RuntimeException e) {
      return null; // a record this version cannot map is not scored, like one it does not know
    }
    return call == null ? null : EvaluationSubject.of(call);
  }

  private static String text(Object o) {
    return o instanceof String && !((String) o).isEmpty() ? (String) o : null;
  }

  /** The lowest-scored results, lowest first (ties in recording order), at most {@code max}. */
  static List<Result> lowest(List<Result> results, int max) {
    List<Result> scored = new ArrayList<>();
    for (Result r : results) if (r.verdict.score != null) scored.add(r);
    Collections.sort(scored, Comparator.comparingDouble((Result r) -> r.verdict.score).thenComparingInt(r -> r.line));
    return scored.size() <= max ? scored : scored.subList(0, max);
  }
}
