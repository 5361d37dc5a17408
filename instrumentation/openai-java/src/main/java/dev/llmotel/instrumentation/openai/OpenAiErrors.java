package dev.llmotel.instrumentation.openai;

import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.models.ErrorObject;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import java.net.SocketTimeoutException;
import java.util.Optional;

/**
 * The exception a refused call throws: the one the SDK throws itself for that condition, so the
 * app's existing handlers take over. Its error body names the policy (code) and the limit (message).
 */
final class OpenAiErrors {
  static final String ERROR_TYPE = "llm_otel_policy";

  static RuntimeException refusal(PolicyDecision decision) {
    String message = decision.exceptionMessage();
    switch (decision.kind) {
      case RATE_LIMITED:
        return RateLimitException.builder().headers(Headers.builder().build()).error(error(decision, message)).build();
      case INVALID_REQUEST:
        return BadRequestException.builder().headers(Headers.builder().build()).error(error(decision, message)).build();
      case UNUSABLE_ANSWER:
        // What the SDK throws when a response has data of the wrong shape.
        return new OpenAIInvalidDataException(message);
      case TIMEOUT:
      default:
        return new OpenAIIoException(message, new SocketTimeoutException(message));
    }
  }

  private static ErrorObject error(PolicyDecision decision, String message) {
    return ErrorObject.builder().message(message).type(ERROR_TYPE).code(decision.policy)
        .param(Optional.<String>empty()).build();
  }

  /**
   * A response field could not be read. The SDK's OpenAIInvalidDataException means the provider sent
   * data of the wrong shape: not our failure, so not logged as one; the field is lost and, when the
   * app cannot use the response without it, the span ends in error with that exception's type.
   * Anything else is a failure of ours.
   */
  static void badField(LlmCall call, String what, Throwable t, boolean responseUnusable) {
    if (t instanceof OpenAIInvalidDataException) {
      if (responseUnusable) call.response().unusableResponse(t);
    } else {
      SafeHooks.failed(what, t);
    }
  }

  private OpenAiErrors() {}
}
