package dev.llmotel.smoke.anthropic;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.MessageCreateParams;
import java.util.HashMap;
import java.util.Map;

/**
 * A structured output's JSON Schema, as an app on SDK 1.0 (which predates structured outputs)
 * declares it: the beta's {@code output_format} as an additional body property.
 */
final class StructuredOutputs {
  static MessageCreateParams.Builder declare(MessageCreateParams.Builder params, Map<String, Object> schema) {
    Map<String, Object> format = new HashMap<>();
    format.put("type", "json_schema");
    format.put("schema", schema);
    return params.putAdditionalBodyProperty("output_format", JsonValue.from(format));
  }

  private StructuredOutputs() {}
}
