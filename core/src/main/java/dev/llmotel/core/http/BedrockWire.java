package dev.llmotel.core.http;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import java.util.Map;

/**
 * Bedrock Runtime's wire format, as the AWS SDK's HTTP layer carries it below the Bedrock module's
 * span: Converse (and ConverseStream, an AWS event stream) and InvokeModel (a model family's own
 * body). The Bedrock module maps the SDK's types onto the call; this format serves what only the
 * HTTP layer does: fault injection (the service's error shape, which the SDK turns into its own
 * exception from {@code x-amzn-ErrorType}), and usage in recorded interactions.
 */
public final class BedrockWire implements WireFormat {
  private final boolean converse;
  private final String operation;

  private BedrockWire(boolean converse, String operation) {
    this.converse = converse;
    this.operation = operation;
  }

  /** The format of a request to this Bedrock Runtime path ({@code /model/{id}/converse[-stream]}, {@code /invoke...}). */
  public static BedrockWire forPath(String path, String operation) {
    return new BedrockWire(path != null && (path.endsWith("/converse") || path.endsWith("/converse-stream")), operation);
  }

  @Override
  public String name() {
    return converse ? "bedrock-converse" : "bedrock-invoke";
  }

  @Override
  public String operation() {
    return operation;
  }

  /**
   * The Bedrock module recognises its calls by the SDK's own operation, not by a body (InvokeModel's
   * is the model family's own): every body it hands over is its request.
   */
  @Override
  public boolean isRequest(Map<?, ?> body, String pathModel) {
    return true;
  }

  @Override
  public void request(LlmCall call, Map<?, ?> body, String pathModel) {
    call.request().requestModel(pathModel);
  }

  @Override
  public boolean streamRequested(Map<?, ?> body, String path) {
    return path != null && (path.endsWith("-stream"));
  }

  @Override
  public void response(LlmCall call, Map<?, ?> body) {
    if (!converse) {
      AnthropicMessagesWire.INSTANCE.response(call, body); // InvokeModel's body is the model family's own
      return;
    }
    usage(call, JsonMaps.map(body.get("usage")));
    call.response().addFinishReason(JsonMaps.string(body.get("stopReason")));
  }

  private static void usage(LlmCall call, Map<?, ?> usage) {
    if (usage == null) return;
    call.response().usage(JsonMaps.longValue(usage.get("inputTokens")), JsonMaps.longValue(usage.get("outputTokens")));
  }

  /** Converse events: the stop reason, and usage from the closing {@code metadata} event. */
  @Override
  public StreamEvents stream(LlmCall call) {
    if (!converse) return null;
    return new StreamEvents() {
      private boolean finished;

      @Override
      public void onEvent(String event, Map<?, ?> data, String rawData) {
        if (data == null) return;
        if ("messageStop".equals(event)) call.response().addFinishReason(JsonMaps.string(data.get("stopReason")));
        if ("metadata".equals(event)) {
          usage(call, JsonMaps.map(data.get("usage")));
          finished = true;
        }
      }

      @Override
      public boolean finished() {
        return finished;
      }

      @Override
      public void finish() {}
    };
  }

  /** The service's error body: {@code {"message": ...}}; its type goes in {@link #errorHeaders}. */
  @Override
  public String errorBody(int status, String message) {
    return "{\"message\":" + Json.write(message) + "}";
  }

  /** What the AWS SDK reads the exception type from (ThrottlingException for a 429, and so on). */
  @Override
  public void errorHeaders(int status, Map<String, String> headers) {
    String type = status == 429 ? "ThrottlingException" : status == 503 ? "ServiceUnavailableException"
        : status == 408 ? "ModelTimeoutException" : status >= 500 ? "InternalServerException" : "ValidationException";
    headers.put("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
  }

  /** A Converse answer asking for the tool; an InvokeModel answer in the Anthropic family's shape. */
  @Override
  public String toolCallBody(String model, String tool) {
    if (!converse) {
      return model != null && model.contains("anthropic.") ? AnthropicMessagesWire.INSTANCE.toolCallBody(model, tool) : null;
    }
    return "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":"
        + "\"tooluse_llm_otel_fault\",\"name\":" + Json.write(tool) + ",\"input\":{}}}]}},\"stopReason\":\"tool_use\","
        + "\"usage\":{\"inputTokens\":0,\"outputTokens\":0,\"totalTokens\":0},\"metrics\":{\"latencyMs\":0}}";
  }
}
