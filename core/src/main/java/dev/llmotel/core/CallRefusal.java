package dev.llmotel.core;

/**
 * What an enter advice returns when a policy refused the call: the library method is skipped (no
 * network traffic) and the exit advice makes it fail with this exception, the library's own for
 * that condition.
 */
public final class CallRefusal {
  private final RuntimeException exception;

  public CallRefusal(RuntimeException exception) {
    this.exception = exception;
  }

  public RuntimeException exception() {
    return exception;
  }
}
