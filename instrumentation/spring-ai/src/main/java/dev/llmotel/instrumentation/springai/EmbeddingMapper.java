package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;

/** Maps Spring AI's EmbeddingRequest and EmbeddingResponse onto the shared call model. */
final class EmbeddingMapper {
  static LlmCall request(EmbeddingModelObservationContext ai) {
    LlmCall call = new LlmCall(SpringAiProviders.of(ai), GenAiValues.OPERATION_EMBEDDINGS);
    try {
      EmbeddingRequest request = ai.getRequest();
      EmbeddingOptions options = request.getOptions();
      if (options != null) {
        call.request().requestModel(options.getModel());
        if (options.getDimensions() != null) call.response().embeddingDimensions(options.getDimensions().longValue());
      }
    } catch (Throwable t) {
      SafeHooks.failed("spring ai embedding request mapping", t);
    }
    return call;
  }

  static void response(LlmCall call, Object response) {
    EmbeddingResponseMetadata metadata = ((EmbeddingResponse) response).getMetadata();
    if (metadata == null) return;
    String model = metadata.getModel();
    if (model != null && !model.isEmpty()) call.response().responseModel(model);
    Usage usage = metadata.getUsage();
    if (usage != null && !usage.getClass().getSimpleName().equals("EmptyUsage")
        && usage.getPromptTokens() != null) {
      call.response().usage(usage.getPromptTokens().longValue(), null);
    }
  }

  private EmbeddingMapper() {}
}
