package dev.llmotel.instrumentation.googlegenai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.genai.types.GenerateContentResponse;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmOtelConfig;
import org.junit.jupiter.api.Test;

/** A generateContentStream counts the answer's characters with capture off: a stream closed before its usage is estimated from them. */
class ContentStreamCharactersTest {
  @Test
  void textPartsButThoughtsAndFunctionCallArgumentsAreCounted() {
    assertFalse(LlmOtelConfig.get().captureContent());
    LlmCall call = new LlmCall("gcp.gemini", "generate_content");
    ContentStreamAccumulator acc = new ContentStreamAccumulator(call);
    acc.onChunk(GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"parts\":"
        + "[{\"text\":\"pondering\",\"thought\":true}]},\"index\":0}]}"));
    acc.onChunk(GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"parts\":"
        + "[{\"text\":\"Hel\"}]},\"index\":0}]}"));
    acc.onChunk(GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"parts\":"
        + "[{\"text\":\"lo, caf\\u00e9\"}]},\"index\":0}]}"));
    long text = "Hello, caf\u00e9".length();
    assertEquals(text, call.response().outputCharacters());
    acc.onChunk(GenerateContentResponse.fromJson("{\"candidates\":[{\"content\":{\"parts\":"
        + "[{\"functionCall\":{\"name\":\"weather\",\"args\":{\"city\":\"Paris\"}}}]},\"index\":0}]}"));
    acc.finish();
    assertEquals(text + "{\"city\":\"Paris\"}".length(), call.response().outputCharacters());
  }
}
