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
  private boolean reviewed;
  /** Created only for an async call whose future must wait for the verdict (enforce mode). */
  private java.util.concurrent.CompletableFuture<Throwable> verdict;

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

  /** The review is done (whatever its verdict): an async call's future may complete now. */
  void reviewed() {
    java.util.concurrent.CompletableFuture<Throwable> waiting;
    Throwable outcome;
    synchronized (this) {
      reviewed = true;
      waiting = verdict;
      outcome = rejection;
    }
    if (waiting != null) waiting.complete(outcome);
  }

  /**
   * The app's future of an async call whose answer the output_validation policy may reject
   * (enforce): one that completes as the library's does, or fails with the rejection once the
   * answer is reviewed. Cancelling it cancels the library's.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public java.util.concurrent.CompletableFuture<Object> rejectingFuture(java.util.concurrent.CompletableFuture<?> library) {
    java.util.concurrent.CompletableFuture<Object> out = new java.util.concurrent.CompletableFuture<>();
    library.whenComplete((result, error) -> {
      if (error != null) {
        out.completeExceptionally(error);
        return;
      }
      whenReviewed().whenComplete((rejection, ignored) -> {
        if (rejection != null) out.completeExceptionally(rejection);
        else out.complete(result);
      });
    });
    out.whenComplete((r, t) -> {
      if (out.isCancelled()) library.cancel(true);
    });
    return out;
  }

  private synchronized java.util.concurrent.CompletableFuture<Throwable> whenReviewed() {
    if (reviewed) return java.util.concurrent.CompletableFuture.completedFuture(rejection);
    if (verdict == null) verdict = new java.util.concurrent.CompletableFuture<>();
    return verdict;
  }

  /** The exception the app gets instead of the answer, when the policy rejected it; else null. */
  public synchronized Throwable rejection() { return rejection; }
  synchronized void rejection(Throwable v) { this.rejection = v; }
}
