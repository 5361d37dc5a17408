package dev.llmotel.core;

import java.util.Collections;
import java.util.List;

/**
 * Whether a call's answer goes to the judge (online evaluation), decided by the core when the call
 * starts so that the mappers keep the answer's text for sampled calls only; and whether the call is
 * itself a judge's, which is never evaluated.
 */
public final class CallEvaluation {
  private volatile List<String> evaluators = Collections.emptyList();
  private volatile boolean judge;

  /** The evaluators this call's answer is scored by; empty when it was not sampled. */
  public List<String> evaluators() { return evaluators; }

  public void sample(List<String> evaluators) {
    this.evaluators = evaluators == null ? Collections.<String>emptyList() : evaluators;
  }

  public boolean sampled() { return !evaluators.isEmpty(); }

  /** The call is a judge's: it is traced and costed like any call, never sampled for evaluation. */
  public boolean isJudge() { return judge; }

  public void markJudge() { judge = true; }
}
