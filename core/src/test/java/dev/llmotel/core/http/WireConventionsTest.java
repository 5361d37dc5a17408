package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.core.LlmCall;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What the plain-HTTP layer reads of a request or response for the conventions, from bodies as the
 * providers' API references show them: gen_ai.output.type where the request states it, and the
 * dimensions of a base64 embedding.
 */
class WireConventionsTest {
  @Test
  void theOutputTypeIsWhatTheRequestStates() {
    assertEquals("json", chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"response_format\":{\"type\":\"json_object\"}}").request().outputType());
    assertEquals("json", chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"city\",\"schema\":{\"type\":\"object\"}}}}")
        .request().outputType());
    assertEquals("text", chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"response_format\":{\"type\":\"text\"}}").request().outputType());
    // The audio guide's request: an answer in text and speech.
    assertEquals("speech", chat("{\"model\":\"gpt-4o-audio-preview\",\"modalities\":[\"text\",\"audio\"],"
        + "\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"},\"messages\":[{\"role\":\"user\",\"content\":\"Is a golden"
        + " retriever a good family dog?\"}]}").request().outputType());
    assertNull(chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
        .request().outputType(), "a request that states nothing");
    LlmCall responses = new LlmCall("openai", "chat");
    OpenAiResponsesWire.INSTANCE.request(responses, JsonMaps.parseObject("{\"model\":\"gpt-4o-mini\",\"input\":\"Hi\","
        + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\",\"schema\":{\"type\":\"object\"}}}}"), null);
    assertEquals("json", responses.request().outputType());
  }

  @Test
  void aBase64EmbeddingHasItsDimensions() {
    for (int dims : new int[] {1, 2, 3, 256, 1536}) {
      ByteBuffer b = ByteBuffer.allocate(dims * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < dims; i++) b.putFloat(i * 0.001f);
      String base64 = Base64.getEncoder().encodeToString(b.array());
      LlmCall call = new LlmCall("openai", "embeddings");
      OpenAiEmbeddingsWire.INSTANCE.request(call, JsonMaps.parseObject("{\"model\":\"text-embedding-3-small\","
          + "\"input\":\"The food was delicious\",\"encoding_format\":\"base64\"}"), null);
      OpenAiEmbeddingsWire.INSTANCE.response(call, JsonMaps.parseObject("{\"object\":\"list\",\"data\":[{\"object\":"
          + "\"embedding\",\"index\":0,\"embedding\":\"" + base64 + "\"}],\"model\":\"text-embedding-3-small\","
          + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}"));
      assertEquals(Long.valueOf(dims), call.response().embeddingDimensions(), dims + " dimensions");
    }
    assertNull(OpenAiEmbeddingsWire.base64Dimensions("abc"), "not base64 of float32 values");
    assertNull(OpenAiEmbeddingsWire.base64Dimensions("AAAA"), "three bytes: one short of a float");
  }

  private static LlmCall chat(String body) {
    LlmCall call = new LlmCall("openai", "chat");
    OpenAiChatWire.INSTANCE.request(call, JsonMaps.parseObject(body), null);
    return call;
  }
}
