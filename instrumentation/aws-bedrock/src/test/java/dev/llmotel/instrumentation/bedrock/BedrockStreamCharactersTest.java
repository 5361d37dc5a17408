package dev.llmotel.instrumentation.bedrock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmOtelConfig;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;

/** Bedrock's streams count the answer's characters with capture off: a stream closed before its usage is estimated from them. */
class BedrockStreamCharactersTest {
  @Test
  void captureIsOffInTheseTests() {
    assertFalse(LlmOtelConfig.get().captureContent());
  }

  @Test
  void aConverseStreamCountsTextAndToolInputDeltas() {
    LlmCall call = new LlmCall("aws.bedrock", "chat");
    ConverseStreamAccumulator acc = new ConverseStreamAccumulator(call);
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0)
        .delta(d -> d.text("Hel")).build());
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(0)
        .delta(d -> d.text("lo, caf\u00e9")).build());
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
        .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("{\"city\":").build())).build());
    acc.onEvent(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(1)
        .delta(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("\"Paris\"}").build())).build());
    acc.finish();
    assertEquals("Hello, caf\u00e9".length() + "{\"city\":\"Paris\"}".length(), call.response().outputCharacters());
  }

  private static void chunk(InvokeStreamAccumulator acc, String json) {
    acc.onEvent(PayloadPart.builder().bytes(SdkBytes.fromUtf8String(json)).build());
  }

  @Test
  void anInvokeStreamCountsTheTextOfEachFamilysChunks() {
    LlmCall anthropic = new LlmCall("aws.bedrock", "chat");
    InvokeStreamAccumulator acc = new InvokeStreamAccumulator(anthropic);
    chunk(acc, "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":9}}}");
    chunk(acc, "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    chunk(acc, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\\u00e9\"}}");
    chunk(acc, "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
        + "\"partial_json\":\"{\\\"a\\\":1}\"}}");
    chunk(acc, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}");
    assertEquals(4 + "{\"a\":1}".length(), anthropic.response().outputCharacters());

    String[] families = {
        "{\"contentBlockDelta\":{\"delta\":{\"text\":\"abcd\"},\"contentBlockIndex\":0}}", // Nova
        "{\"contentBlockDelta\":{\"delta\":{\"toolUse\":{\"input\":\"abcd\"}},\"contentBlockIndex\":1}}", // Nova tool
        "{\"outputText\":\"abcd\",\"index\":0,\"totalOutputTextTokenCount\":1}", // Titan
        "{\"generation\":\"abcd\",\"prompt_token_count\":null,\"stop_reason\":null}", // Llama
        "{\"outputs\":[{\"text\":\"abcd\",\"stop_reason\":null}]}", // Mistral
        "{\"is_finished\":false,\"event_type\":\"text-generation\",\"text\":\"abcd\"}", // Cohere Command R
        "{\"choices\":[{\"index\":0,\"text\":\"abcd\",\"stop_reason\":null}]}", // DeepSeek
        "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"},\"finish_reason\":null}]}", // AI21, gpt-oss
    };
    for (String family : families) {
      LlmCall call = new LlmCall("aws.bedrock", "chat");
      chunk(new InvokeStreamAccumulator(call), family);
      assertEquals(4, call.response().outputCharacters(), family);
    }
  }
}
