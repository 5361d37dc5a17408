package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.PolicyDecision;
import java.lang.reflect.Constructor;

/**
 * The exceptions Spring AI throws for the conditions a policy refuses a call for. Spring AI 1.1's
 * provider modules turn HTTP errors into its retry module's TransientAiException (a 429) and
 * NonTransientAiException (a 400). Spring AI 2.0's OpenAI module has no retry module: it calls the
 * OpenAI SDK and lets the SDK's exceptions through, so there the SDK's instrumentation throws the
 * SDK's own (see {@link #sdkRefusesInstead}).
 */
final class SpringAiErrors {
  private static final String TRANSIENT = "org.springframework.ai.retry.TransientAiException";
  private static final String NON_TRANSIENT = "org.springframework.ai.retry.NonTransientAiException";

  /**
   * Whether the refusal is left to the provider SDK the model calls next: an OpenAI or Anthropic
   * model without Spring AI's retry module on the class path is Spring AI 2.0's, built on that
   * provider's official SDK, whose exceptions Spring AI lets through.
   */
  static boolean sdkRefusesInstead(String provider) {
    if (loadable(NON_TRANSIENT)) return false;
    if ("openai".equals(provider)) return loadable("com.openai.core.http.HttpClient");
    if ("anthropic".equals(provider)) return loadable("com.anthropic.core.http.HttpClient");
    return false;
  }

  private static boolean loadable(String type) {
    try {
      Class.forName(type, false, SpringAiErrors.class.getClassLoader());
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

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
