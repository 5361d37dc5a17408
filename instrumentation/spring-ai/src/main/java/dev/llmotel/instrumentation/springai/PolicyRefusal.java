package dev.llmotel.instrumentation.springai;

/**
 * Carries a refused call's exception (or a rejected answer's) out of our start (or end) code, past
 * the guard that swallows our own failures.
 */
final class PolicyRefusal extends RuntimeException {
  final RuntimeException exception;

  PolicyRefusal(RuntimeException exception) {
    super(null, null, false, false);
    this.exception = exception;
  }
}
