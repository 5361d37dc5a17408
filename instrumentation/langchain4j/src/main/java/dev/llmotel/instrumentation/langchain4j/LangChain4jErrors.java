package dev.llmotel.instrumentation.langchain4j;

import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import dev.llmotel.core.PolicyDecision;

/**
 * The exceptions LangChain4j's model modules throw for the conditions a policy refuses a call for:
 * they map a provider's 400 to InvalidRequestException, a 429 to RateLimitException and a timeout
 * to TimeoutException (dev.langchain4j.exception, 1.0 on), so apps catch those.
 */
final class LangChain4jErrors {
  static RuntimeException refusal(PolicyDecision decision) {
    String message = decision.exceptionMessage();
    switch (decision.kind) {
      case RATE_LIMITED:
        return new RateLimitException(message);
      case INVALID_REQUEST:
        return new InvalidRequestException(message);
      case UNUSABLE_ANSWER:
        // The base of LangChain4j's model exceptions: retried by its own retry, like a bad response.
        return new dev.langchain4j.exception.LangChain4jException(message);
      case TIMEOUT:
      default:
        return new TimeoutException(message);
    }
  }

  /**
   * The open-ai-official models call the OpenAI SDK and let its exceptions through: a refusal
   * there is left to the SDK layer, which fails the call with the SDK's own exception.
   */
  static boolean sdkRefusesInstead(Object model) {
    return model != null && model.getClass().getName().startsWith("dev.langchain4j.model.openaiofficial.");
  }

  /**
   * The exception of a call whose answer the output_validation policy rejected. The answer is
   * reviewed when this call ends, after the model's method returned: an SDK the model calls made no
   * call of its own under this one and cannot fail it, so this layer does, with the OpenAI SDK's own
   * exception for data it cannot use where the model lets the SDK's exceptions through.
   */
  static RuntimeException unusableAnswer(Object model, PolicyDecision decision) {
    RuntimeException sdk = sdkRefusesInstead(model) ? dev.llmotel.core.Accessors.newException(
        model.getClass().getClassLoader(), "com.openai.errors.OpenAIInvalidDataException", decision.exceptionMessage())
        : null;
    return sdk != null ? sdk : refusal(decision); // not loadable from the model's class loader: LangChain4j's own
  }

  private LangChain4jErrors() {}
}
