package dev.llmotel.instrumentation.langchain4j;

import dev.llmotel.core.Accessors;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import java.util.List;

/**
 * Embedding calls, whose types changed in 1.18 (EmbeddingRequest and EmbeddingResponse came in,
 * modelName() in 1.9): read reflectively so that one helper serves every 1.x release.
 */
final class EmbeddingMapper {
  static LlmCall request(Object model, Object input) {
    LlmCall call = new LlmCall(LangChain4jProviders.of(model), GenAiValues.OPERATION_EMBEDDINGS);
    try {
      Object name = input != null && !(input instanceof List) ? Accessors.call(input, "modelName") : null;
      if (name == null) name = Accessors.call(model, "modelName");
      if (name != null) call.requestModel(String.valueOf(name));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j embeddings request mapping", t);
    }
    return call;
  }

  /** Response&lt;List&lt;Embedding&gt;&gt; (embedAll) or EmbeddingResponse (1.18+ embed). */
  static void response(LlmCall call, Object response) {
    try {
      Object usage = Accessors.call(response, "tokenUsage");
      Object input = usage == null ? null : Accessors.call(usage, "inputTokenCount");
      if (input instanceof Integer) call.usage(((Integer) input).longValue(), null);
      Object embeddings = Accessors.call(response, "content");
      if (embeddings == null) embeddings = Accessors.call(response, "embeddings");
      if (embeddings instanceof List && !((List<?>) embeddings).isEmpty()) {
        Object dimension = Accessors.call(((List<?>) embeddings).get(0), "dimension");
        if (dimension instanceof Integer) call.embeddingDimensions(((Integer) dimension).longValue());
      }
      Object model = Accessors.call(response, "modelName");
      if (model != null) call.responseModel(String.valueOf(model));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j embeddings response mapping", t);
    }
  }

  private EmbeddingMapper() {}
}
