package dev.llmotel.instrumentation.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.data.message.UserMessage;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.governance.Fingerprints;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-process embedding models, what an embedding call hashes, and the server from the model's client. */
class InProcessAndServerTest {
  /** Stands in for LangChain4j's base class of its ONNX models (matched by its simple name). */
  abstract static class AbstractInProcessEmbeddingModel {}

  static final class AllMiniLmL6V2EmbeddingModel extends AbstractInProcessEmbeddingModel {}

  static final class BgeSmallEnV15QuantizedEmbeddingModel extends AbstractInProcessEmbeddingModel {}

  /** A provider model as LangChain4j builds them: the base URL lives on its private client. */
  static final class OpenAiTestModel {
    private final Client client = new Client("http://127.0.0.1:41234/v1");
  }

  static final class Client {
    private final String baseUrl;

    Client(String baseUrl) {
      this.baseUrl = baseUrl;
    }
  }

  @Test
  void aLocalOnnxModelIsInProcessAndNamedByItsClass() {
    LlmCall call = EmbeddingMapper.request(new AllMiniLmL6V2EmbeddingModel(), List.of(TextSegment.from("hello")));
    assertEquals("in_process", call.provider());
    assertEquals("all-minilm-l6-v2", call.request().requestModel());
    assertEquals("embeddings", call.operation());
    assertEquals("bge-small-en-v15-quantized",
        LangChain4jProviders.inProcessModelName(new BgeSmallEnV15QuantizedEmbeddingModel()));
    assertEquals("openai", LangChain4jProviders.of(new OpenAiTestModel()));
  }

  @Test
  void theRequestHashCoversWhatWasEmbedded() {
    AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
    String a = Fingerprints.requestHash(EmbeddingMapper.request(model, List.of(TextSegment.from("Paris is sunny"))));
    String b = Fingerprints.requestHash(EmbeddingMapper.request(model, List.of(TextSegment.from("Berlin is windy"))));
    String a2 = Fingerprints.requestHash(EmbeddingMapper.request(model, List.of(TextSegment.from("Paris is sunny"))));
    assertNotEquals(a, b);
    assertEquals(a, a2);
  }

  @Test
  void chatAndEmbeddingSpansHaveTheServerOfTheModelsConfiguredBaseUrlAtStart() {
    LlmCall chat = ChatMapper.request(new OpenAiTestModel(),
        ChatRequest.builder().messages(UserMessage.from("hi")).modelName("gpt-4o-mini").build());
    assertEquals("127.0.0.1", chat.request().serverAddress());
    assertEquals(41234, chat.request().serverPort());
    LlmCall embeddings = EmbeddingMapper.request(new OpenAiTestModel(), List.of(TextSegment.from("hi")));
    assertEquals("127.0.0.1", embeddings.request().serverAddress());
    assertEquals(-1, EmbeddingMapper.request(new AllMiniLmL6V2EmbeddingModel(), List.of()).request().serverPort());
  }
}
