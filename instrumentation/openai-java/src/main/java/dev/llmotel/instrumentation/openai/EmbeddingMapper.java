package dev.llmotel.instrumentation.openai;

import com.openai.core.ClientOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import java.util.Collections;

/** Maps embedding params and results of the OpenAI SDK onto the shared call model. */
final class EmbeddingMapper {

  static LlmCall request(EmbeddingCreateParams params, ClientOptions options) {
    LlmCall call = new LlmCall(OpenAiProviders.provider(options), GenAiValues.OPERATION_EMBEDDINGS);
    try {
      call.request().server(options.baseUrl());
      call.request().requestModel(params.model().asString());
      params.encodingFormat().ifPresent(f -> call.request().encodingFormats(Collections.singletonList(f.asString())));
      params.dimensions().ifPresent(call.response()::embeddingDimensions);
    } catch (Throwable t) {
      SafeHooks.failed("openai embeddings request mapping", t);
    }
    return call;
  }

  static void response(LlmCall call, CreateEmbeddingResponse response) {
    try {
      call.response().responseModel(response.model());
      call.response().usage(response.usage().promptTokens(), null);
      if (call.response().embeddingDimensions() == null && !response.data().isEmpty()) {
        call.response().embeddingDimensions((long) response.data().get(0).embedding().size());
      }
    } catch (Throwable t) {
      SafeHooks.failed("openai embeddings response mapping", t);
    }
  }

  private EmbeddingMapper() {}
}
