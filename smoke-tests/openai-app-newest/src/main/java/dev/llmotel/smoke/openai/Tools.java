package dev.llmotel.smoke.openai;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** Tool definitions and tool calls as the 3.x and 4.x SDKs spell them (tools became unions in 3.0). */
final class Tools {
  static void addWeatherTool(ChatCompletionCreateParams.Builder builder) {
    builder.addTool(ChatCompletionFunctionTool.builder().function(definition()).build());
  }

  static FunctionDefinition definition() {
    Map<String, Object> city = new HashMap<>();
    city.put("type", "string");
    return FunctionDefinition.builder()
        .name("get_weather")
        .description("Current weather for a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Collections.singletonMap("city", city)))
            .putAdditionalProperty("required", JsonValue.from(Collections.singletonList("city")))
            .build())
        .build();
  }

  static String[] firstToolCall(ChatCompletionMessage message) {
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().get().get(0).asFunction();
    return new String[] {call.id(), call.function().name(), call.function().arguments()};
  }

  private Tools() {}
}
