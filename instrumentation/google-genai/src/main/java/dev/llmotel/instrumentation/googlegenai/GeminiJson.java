package dev.llmotel.instrumentation.googlegenai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.JsonSerializable;

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

  private GeminiJson() {}
}
