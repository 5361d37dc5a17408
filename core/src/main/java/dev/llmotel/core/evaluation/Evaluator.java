package dev.llmotel.core.evaluation;

/**
 * One way of scoring an answer: a name (the {@code gen_ai.evaluation.name}), the rubric the judge
 * is given, the score under which an answer is escalated, and what of the call it needs: an
 * evaluator whose material a call lacks (no sources to be grounded in, no instructions to follow)
 * is not run on that call.
 */
public final class Evaluator {
  /** What an evaluator reads besides the question and the answer. */
  public enum Needs { NOTHING_MORE, SOURCES, INSTRUCTIONS }

  public final String name;
  public final String rubric;
  public final double threshold;
  public final Needs needs;

  public Evaluator(String name, String rubric, double threshold, Needs needs) {
    this.name = name;
    this.rubric = rubric;
    this.threshold = threshold;
    this.needs = needs;
  }

  /** Whether the subject has what this evaluator reads. */
  public boolean appliesTo(EvaluationSubject subject) {
    if (subject.answer == null || subject.answer.isEmpty()) return false;
    switch (needs) {
      case SOURCES: return !subject.sources.isEmpty();
      case INSTRUCTIONS: return subject.instructions != null && !subject.instructions.isEmpty();
      default: return true;
    }
  }

  Evaluator withThreshold(double t) {
    return new Evaluator(name, rubric, t, needs);
  }
}
