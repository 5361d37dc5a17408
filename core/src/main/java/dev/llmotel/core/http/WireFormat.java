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
