package dev.llmotel.smoke.anthropic;

import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.JsonOutputFormat;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.OutputConfig;
import java.util.Map;

/** A structured output's JSON Schema, as SDK 3.x declares it: {@code output_config.format}. */
final class StructuredOutputs {
  static MessageCreateParams.Builder declare(MessageCreateParams.Builder params, Map<String, Object> schema) {
    JsonOutputFormat.Schema.Builder s = JsonOutputFormat.Schema.builder();
    schema.forEach((k, v) -> s.putAdditionalProperty(k, JsonValue.from(v)));
    return params.outputConfig(OutputConfig.builder().format(JsonOutputFormat.builder().schema(s.build()).build()).build());
  }

  private StructuredOutputs() {}
}
