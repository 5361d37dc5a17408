package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.PolicyDecision;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The SDK's own exceptions for what a policy refuses, built as the SDK builds them from a response. */
final class BedrockErrors {
  /**
   * What the SDK throws for the same condition: ThrottlingException (429) for spend and rate
   * limits, ValidationException (400) for a request that must not be sent, ModelTimeoutException
   * (408) for a timeout.
   */
  static RuntimeException refusal(PolicyDecision decision) {
    String message = decision.exceptionMessage();
    switch (decision.kind) {
      case RATE_LIMITED:
        return ThrottlingException.builder().message(message).statusCode(429)
            .awsErrorDetails(details("ThrottlingException", message, 429)).build();
      case INVALID_REQUEST:
        return ValidationException.builder().message(message).statusCode(400)
            .awsErrorDetails(details("ValidationException", message, 400)).build();
      case UNUSABLE_ANSWER:
        // What the SDK throws when it cannot use what the service returned.
        return software.amazon.awssdk.core.exception.SdkClientException.create(message);
      case TIMEOUT:
      default:
        return ModelTimeoutException.builder().message(message).statusCode(408)
            .awsErrorDetails(details("ModelTimeoutException", message, 408)).build();
    }
  }

  private static AwsErrorDetails details(String code, String message, int status) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("BedrockRuntime")
        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
  }

  private BedrockErrors() {}
}
