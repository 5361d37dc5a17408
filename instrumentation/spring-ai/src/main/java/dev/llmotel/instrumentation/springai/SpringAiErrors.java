package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.PolicyDecision;

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
    RuntimeException exception = newException(type, message);
    // An app that uses ChatModel without any retry module: Spring's own unchecked exception.
    return exception != null ? exception : new IllegalStateException(message);
  }

  /**
   * The exception of a blocking call whose answer the output_validation policy rejected. The answer
   * is reviewed when this call's observation stops, after the model's work: the provider SDK that
   * 2.0's model calls made no call of its own under this one and cannot fail it, so this layer does,
   * with that SDK's own exception for data it cannot use where Spring AI lets the SDK's through.
   */
  static RuntimeException unusableAnswer(String provider, PolicyDecision decision) {
    RuntimeException exception = null;
    if (sdkRefusesInstead(provider)) {
      String type = "openai".equals(provider) ? "com.openai.errors.OpenAIInvalidDataException"
          : "com.anthropic.errors.AnthropicInvalidDataException";
      exception = newException(type, decision.exceptionMessage());
    }
    return exception != null ? exception : refusal(decision);
  }

  /** The unchecked exception of that type with that message, or null when it cannot be made here. */
  private static RuntimeException newException(String type, String message) {
    return dev.llmotel.core.Accessors.newException(SpringAiErrors.class.getClassLoader(), type, message);
  }

  private SpringAiErrors() {}
}
