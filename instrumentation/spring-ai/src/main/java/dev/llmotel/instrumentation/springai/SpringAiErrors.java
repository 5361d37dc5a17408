package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.PolicyDecision;
import java.lang.reflect.Constructor;

/**
 * The exceptions Spring AI throws for the conditions a policy refuses a call for: its retry
 * module's TransientAiException for a rate limit (what a 429 becomes) and NonTransientAiException
 * for a request that must not be sent (what a 400 becomes). Loaded by name from the app's class
 * loader: spring-ai-retry is there whenever a provider module is.
 */
final class SpringAiErrors {
  private static final String TRANSIENT = "org.springframework.ai.retry.TransientAiException";
  private static final String NON_TRANSIENT = "org.springframework.ai.retry.NonTransientAiException";

  static RuntimeException refusal(PolicyDecision decision) {
    String message = decision.exceptionMessage();
    String type = decision.kind == PolicyDecision.Kind.RATE_LIMITED ? TRANSIENT : NON_TRANSIENT;
    try {
      Class<?> c = Class.forName(type, false, SpringAiErrors.class.getClassLoader());
      Constructor<?> constructor = c.getConstructor(String.class);
      return (RuntimeException) constructor.newInstance(message);
    } catch (Throwable t) {
      // An app that uses ChatModel without any retry module: Spring's own unchecked exception.
      return new IllegalStateException(message);
    }
  }

  private SpringAiErrors() {}
}
