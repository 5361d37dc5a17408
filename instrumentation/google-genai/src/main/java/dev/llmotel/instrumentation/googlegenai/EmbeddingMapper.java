package dev.llmotel.instrumentation.googlegenai;

import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import java.util.List;

/** Maps embedContent of the Google GenAI SDK onto the shared call model. */
final class EmbeddingMapper {
  static LlmCall request(String provider, String baseUrl, String model, Object config) {
    LlmCall call = new LlmCall(provider, GenAiValues.OPERATION_EMBEDDINGS);
    try {
      if (baseUrl != null) call.request().server(baseUrl);
      call.request().requestModel(ContentMapper.modelName(model));
      if (config instanceof EmbedContentConfig) {
        call.response().embeddingDimensions(ContentMapper.toLong(((EmbedContentConfig) config).outputDimensionality()));
      }
    } catch (Throwable t) {
      SafeHooks.failed("google-genai embeddings request mapping", t);
    }
    return call;
  }

  /**
   * Vertex AI reports each input's token count in the embedding's statistics; the Gemini API
   * reports none, so its embedding calls carry no token usage.
   */
  static void response(LlmCall call, Object result) {
    if (!(result instanceof EmbedContentResponse)) return;
    List<ContentEmbedding> embeddings =
        ((EmbedContentResponse) result).embeddings().orElse(java.util.Collections.<ContentEmbedding>emptyList());
    long tokens = 0;
    boolean counted = false;
    for (ContentEmbedding e : embeddings) {
      if (e.statistics().isPresent() && e.statistics().get().tokenCount().isPresent()) {
        tokens += e.statistics().get().tokenCount().get().longValue();
        counted = true;
      }
    }
    if (counted) call.response().usage(tokens, null);
    if (call.response().embeddingDimensions() == null && !embeddings.isEmpty() && embeddings.get(0).values().isPresent()) {
      call.response().embeddingDimensions((long) embeddings.get(0).values().get().size());
    }
  }

  private EmbeddingMapper() {}
}
