package dev.llmotel.instrumentation.googlegenai;

import com.google.genai.errors.ClientException;
import com.google.genai.errors.GenAiIOException;
import dev.llmotel.core.PolicyDecision;
import java.io.InterruptedIOException;

/** The SDK's own exceptions for what a policy refuses. */
final class GoogleGenAiErrors {
  /**
   * What the SDK throws for the same condition: the ClientException of a 429 RESOURCE_EXHAUSTED
   * for spend and rate limits, of a 400 INVALID_ARGUMENT for a request that must not be sent, and
   * its I/O exception around a timeout, as OkHttp's call timeout surfaces.
   */
  static RuntimeException refusal(PolicyDecision decision) {
    String message = decision.exceptionMessage();
    switch (decision.kind) {
      case RATE_LIMITED:
        return new ClientException(429, "RESOURCE_EXHAUSTED", message);
      case INVALID_REQUEST:
        return new ClientException(400, "INVALID_ARGUMENT", message);
      case UNUSABLE_ANSWER:
        // What the SDK throws for a response body it cannot read.
        return new GenAiIOException(message);
      case TIMEOUT:
      default:
        return new GenAiIOException(message, new InterruptedIOException(message));
    }
  }

  private GoogleGenAiErrors() {}
}
