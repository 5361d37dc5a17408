package dev.llmotel.instrumentation.googlegenai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.JsonSerializable;
import dev.llmotel.core.Json;
import java.util.Collections;
import java.util.Map;

/**
 * JSON text of the values the SDK keeps as objects (function-call arguments, parameter schemas).
 * One mapper for the module: building one per call costs more than the call's mapping.
 */
final class GeminiJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static String write(Object value) {
    if (value == null) return null;
    try {
      if (value instanceof JsonSerializable) return ((JsonSerializable) value).toJson();
      return MAPPER.writeValueAsString(value);
    } catch (Exception e) {
      return String.valueOf(value);
    }
  }

  /**
   * The JSON object the SDK writes for one of its values, parsed: for fields only some releases have
   * accessors for (their JSON names are the API's in every release). Empty when it is no object.
   */
  static Map<?, ?> object(Object value) {
    try {
      Object parsed = Json.parse(write(value));
      return parsed instanceof Map ? (Map<?, ?>) parsed : Collections.emptyMap();
    } catch (RuntimeException e) {
      return Collections.emptyMap();
    }
  }

  private GeminiJson() {}
}
