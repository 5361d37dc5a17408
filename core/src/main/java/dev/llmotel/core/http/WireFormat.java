package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;
import java.util.Map;

/**
 * An LLM API's wire format as a plain HTTP client sends and receives it: the request body, the
 * response body, and the events of a streamed response, mapped onto the shared call model from
 * JSON read by {@link dev.llmotel.core.Json} (the app may have no JSON library of its own).
 */
public interface WireFormat {
  /** The name used in configuration (e.g. {@code openai-chat}). */
  String name();

  /** The gen_ai.operation.name of its calls. */
  String operation();

  /**
   * Whether a parsed request body is this format's request: a request to a matching endpoint is an
   * LLM call only when it is (paths such as {@code /v1/messages} or {@code /completions} are common
   * outside LLM APIs). Only the fields the API requires and their types are checked, never their
   * values. {@code pathModel} is the model named in the URL path, or null: then the body must name
   * one. Never throws.
   */
  boolean isRequest(Map<?, ?> body, String pathModel);

  /**
   * Maps a request body. {@code pathModel} is the model named in the URL path (Gemini, Azure
   * deployments), or null.
   */
  void request(LlmCall call, Map<?, ?> body, String pathModel);

  /** Whether the request asks for a streamed response (also judged from the response's content type). */
  boolean streamRequested(Map<?, ?> body, String path);

  /** Maps a whole (non-streamed) response body. */
  void response(LlmCall call, Map<?, ?> body);

  /** A new accumulator for one streamed response. */
  StreamEvents stream(LlmCall call);

  /** The provider's error body for this status (fault injection): OpenAI's shape unless overridden. */
  default String errorBody(int status, String message) {
    String type = status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
    return "{\"error\":{\"message\":" + dev.llmotel.core.Json.write(message) + ",\"type\":\"" + type
        + "\",\"param\":null,\"code\":\"" + type + "\"}}";
  }

  /** Headers the provider sends with an error of this status besides its body (fault injection). */
  default void errorHeaders(int status, Map<String, String> headers) {}

  /**
   * A whole answer whose only content is a call of this tool (fault injection), or null where the
   * format has no tool calls.
   */
  default String toolCallBody(String model, String tool) {
    return null;
  }

  /** What one streamed response's events add up to. */
  interface StreamEvents {
    /**
     * Whether this event's data says anything the call records; events that do not are not parsed
     * (most of a stream is content deltas, which say nothing unless content is captured).
     */
    default boolean wants(String event, String rawData) {
      return true;
    }

    /**
     * One server-sent event: its event name (or null) and its data parsed as JSON (null if not JSON,
     * or not parsed because {@link #wants} said so).
     */
    void onEvent(String event, Map<?, ?> data, String rawData);

    /** Whether the provider signalled the end of the stream. */
    boolean finished();

    /** Runs once, before the span ends. */
    void finish();
  }
}
