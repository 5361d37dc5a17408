package dev.llmotel.instrumentation.anthropic;

import com.anthropic.core.JsonValue;
import com.anthropic.core.http.Headers;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.SafeHooks;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Map;

/** The SDK's own exceptions for what a policy refuses, and the handling of unreadable fields. */
final class AnthropicErrors {
  /** The error body's type, as the API's own errors carry one. */
  static final String ERROR_TYPE = "llm_otel_policy";

  /**
   * The exception the SDK throws for the same condition: a 429's RateLimitException for spend and
   * rate limits, a 400's BadRequestException for a request that must not be sent, its I/O
   * exception for a timeout. The body has the API's error shape, with the policy's message.
   */
  static RuntimeException refusal(PolicyDecision decision) {
    String message = decision.exceptionMessage();
    switch (decision.kind) {
      case RATE_LIMITED:
        return RateLimitException.builder().headers(Headers.builder().build()).body(body(message)).build();
      case INVALID_REQUEST:
        return BadRequestException.builder().headers(Headers.builder().build()).body(body(message)).build();
      case UNUSABLE_ANSWER:
        // What the SDK throws when a response has data of the wrong shape.
        return new com.anthropic.errors.AnthropicInvalidDataException(message);
      case TIMEOUT:
      default:
        return new AnthropicIoException(message, new SocketTimeoutException(message));
    }
  }

  private static JsonValue body(String message) {
    Map<String, Object> error = new HashMap<>();
    error.put("type", ERROR_TYPE);
    error.put("message", message);
    Map<String, Object> root = new HashMap<>();
    root.put("type", "error");
    root.put("error", error);
    return JsonValue.from(root);
  }

  /**
   * A response field could not be read. The SDK's AnthropicInvalidDataException means the provider
   * sent data of the wrong shape: not our failure; when the app cannot use the response without that
   * field, the span ends in error with that exception's type. Anything else is a failure of ours.
   */
  static void badField(LlmCall call, String what, Throwable t, boolean responseUnusable) {
    if (t instanceof AnthropicInvalidDataException) {
      if (responseUnusable) call.response().unusableResponse(t);
    } else {
      SafeHooks.failed(what, t);
    }
  }

  private AnthropicErrors() {}
}
