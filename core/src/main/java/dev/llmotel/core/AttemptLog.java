package dev.llmotel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The HTTP attempts of one LLM call as seen below the library's retry loop, in the order they
 * started, and the retries the app made itself. Written by the layers that see attempts (an SDK's
 * retry hook, the plain-HTTP layer); read when the call's span ends.
 */
public final class AttemptLog {
  private final List<Attempt> attempts = new ArrayList<>(2); // nearly always one attempt
  private int pendingAttempts;
  private int attemptsNumbered;
  private Runnable whenAttemptsSettled;
  private long appRetries;
  private String appRetryReason;
  private List<String> faultsInjected; // allocated with the first: faults are drills, rare

  /**
   * Whether the SDK's own attempt hook reads each attempt's response headers (status, request id, rate
   * limits): set before the first attempt is sent, so an HTTP client layer below it need not read them again.
   */
  private volatile boolean headersReadBySdk;

  AttemptLog() {}

  /** Marks this call's attempts as seen by the SDK's attempt hook, with their headers (before an attempt). */
  public void markHeadersReadBySdk() {
    if (!headersReadBySdk) headersReadBySdk = true; // read first: no write to a shared line on every attempt
  }

  public boolean headersReadBySdk() {
    return headersReadBySdk;
  }

  /** Records one HTTP attempt as seen below the library's retry loop, once it has ended. */
  public synchronized Attempt recordAttempt(Integer statusCode, String retryAfter, Throwable error, String requestId) {
    return insert(new Attempt(++attemptsNumbered, System.nanoTime(), statusCode, retryAfter,
        error == null ? null : ErrorTypes.of(error), requestId));
  }

  /**
   * An async attempt is under way; its outcome arrives through {@link #finishAttempt} with the
   * number returned here. Numbers are given at the start because a retry can finish before the
   * callback that reports the failed attempt before it runs.
   */
  public synchronized int startAttempt() {
    pendingAttempts++;
    return ++attemptsNumbered;
  }

  /**
   * Records the outcome of an attempt announced by {@link #startAttempt}. A future's callbacks run
   * in no guaranteed order, so the call's own future may complete before the last attempt is
   * recorded: the end deferred by {@link #runWhenAttemptsSettled} runs here then.
   */
  public void finishAttempt(int number, Integer statusCode, String retryAfter, Throwable error, String requestId) {
    finishAttemptOfType(number, statusCode, retryAfter, error == null ? null : ErrorTypes.of(error), requestId);
  }

  /**
   * As {@link #recordAttempt}, for libraries that report an attempt's failure by a type name rather
   * than an exception (the AWS SDK's per-attempt metrics).
   */
  public synchronized Attempt recordAttemptOfType(Integer statusCode, String retryAfter, String errorType, String requestId) {
    return insert(new Attempt(++attemptsNumbered, System.nanoTime(), statusCode, retryAfter, errorType, requestId));
  }

  /** As {@link #finishAttempt}, with the failure given by a type name. */
  public void finishAttemptOfType(int number, Integer statusCode, String retryAfter, String errorType, String requestId) {
    Runnable deferred = null;
    synchronized (this) {
      insert(new Attempt(number, System.nanoTime(), statusCode, retryAfter, errorType, requestId));
      pendingAttempts = Math.max(0, pendingAttempts - 1);
      if (pendingAttempts == 0 && whenAttemptsSettled != null) {
        deferred = whenAttemptsSettled;
        whenAttemptsSettled = null;
      }
    }
    if (deferred != null) deferred.run();
  }

  /** Keeps the attempts in the order they started, whatever order they finished in. */
  private Attempt insert(Attempt a) {
    int i = attempts.size();
    while (i > 0 && attempts.get(i - 1).number > a.number) i--;
    attempts.add(i, a);
    return a;
  }

  /** Runs the action now, or once every announced attempt has been recorded. */
  public void runWhenAttemptsSettled(Runnable action) {
    synchronized (this) {
      if (pendingAttempts > 0) {
        whenAttemptsSettled = action;
        return;
      }
    }
    action.run();
  }

  public synchronized List<Attempt> attempts() { return Collections.unmodifiableList(new ArrayList<>(attempts)); }

  /** Attempts after the first; 0 when the library made one attempt or we could not see attempts. */
  public synchronized long retryCount() { return Math.max(appRetries, Math.max(0, attempts.size() - 1)); }

  /**
   * Retries the app made itself (a plain HTTP client has no retry loop): earlier failed attempts of
   * the same request under the same parent, each its own span.
   */
  public synchronized void appRetries(long v, String previousErrorType) {
    this.appRetries = v;
    this.appRetryReason = previousErrorType;
  }

  /**
   * Why each retry of this call was made: the error.type of the attempt before it (an HTTP status
   * such as "429", or an exception class). A span of the app's own retry loop is one retry.
   */
  public synchronized List<String> retryReasons() {
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i + 1 < attempts.size(); i++) reasons.add(attempts.get(i).errorTypeOrStatus());
    if (reasons.isEmpty() && appRetries > 0) reasons.add(appRetryReason == null ? "_OTHER" : appRetryReason);
    return reasons;
  }

  /** Fault injection put a fault of this kind into the call (once per kind). */
  public synchronized void faultInjected(String kind) {
    if (faultsInjected == null) faultsInjected = new ArrayList<>(2);
    if (!faultsInjected.contains(kind)) faultsInjected.add(kind);
  }

  public synchronized List<String> faultsInjected() {
    return faultsInjected == null ? null : new ArrayList<>(faultsInjected);
  }

  /** One HTTP attempt of the call. */
  public static final class Attempt {
    public final int number;
    public final long epochNanosApprox;
    public final long nanoTime;
    public final Integer statusCode;
    public final String retryAfter;
    public final String errorType;
    public final String requestId;

    Attempt(int number, long nanoTime, Integer statusCode, String retryAfter, String errorType, String requestId) {
      this.number = number;
      this.nanoTime = nanoTime;
      this.epochNanosApprox = System.currentTimeMillis() * 1_000_000L;
      this.statusCode = statusCode;
      this.retryAfter = retryAfter;
      this.errorType = errorType;
      this.requestId = requestId;
    }

    public boolean failed() {
      return errorType != null || (statusCode != null && statusCode >= 400);
    }

    /** The attempt's error.type: its exception class, else its HTTP status, else "_OTHER". */
    public String errorTypeOrStatus() {
      if (errorType != null) return errorType;
      return statusCode != null ? String.valueOf(statusCode) : "_OTHER";
    }
  }
}
