package dev.llmotel.core;

import dev.llmotel.core.output.OutputCheck;
import java.util.function.Function;

/**
 * Whether the call's answer can be used: the verdict of its check against the declared structure,
 * its confidence, and why it was escalated to a person. Written by the core when the call ends
 * ({@link AnswerReviewer}); the library module only says how it fails a call whose answer a policy
 * rejects ({@link #failWith}).
 */
public final class OutputReview {
  private OutputCheck check;
  private Double confidence;
  private String escalationReason;
  private Throwable rejection;
  private Function<PolicyDecision, ? extends Throwable> libraryException;

  public synchronized OutputCheck check() { return check; }
  synchronized void check(OutputCheck v) { this.check = v; }
  public synchronized Double confidence() { return confidence; }
  synchronized void confidence(Double v) { this.confidence = v; }

  /** output_invalid, refusal, content_filter, truncated, policy_refused or low_confidence; null when usable. */
  public synchronized String escalationReason() { return escalationReason; }
  synchronized void escalationReason(String v) { this.escalationReason = v; }

  /**
   * How the library fails a call whose answer the output_validation policy rejects: its own
   * exception for a response it cannot use (the decision's kind is {@link PolicyDecision.Kind#UNUSABLE_ANSWER}).
   * Without one (a layer that cannot fail the call), enforce records the refusal and nothing else.
   */
  public synchronized void failWith(Function<PolicyDecision, ? extends Throwable> libraryException) {
    this.libraryException = libraryException;
  }

  synchronized Function<PolicyDecision, ? extends Throwable> libraryException() { return libraryException; }

  /** The exception the app gets instead of the answer, when the policy rejected it; else null. */
  public synchronized Throwable rejection() { return rejection; }
  synchronized void rejection(Throwable v) { this.rejection = v; }
}
