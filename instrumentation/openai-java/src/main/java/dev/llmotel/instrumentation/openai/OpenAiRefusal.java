package dev.llmotel.instrumentation.openai;

/**
 * What the enter advice returns when a policy refused the call: the SDK method is skipped (no
 * network traffic) and the exit advice makes it fail with this exception.
 */
public final class OpenAiRefusal {
  final RuntimeException exception;

  OpenAiRefusal(RuntimeException exception) {
    this.exception = exception;
  }
}
