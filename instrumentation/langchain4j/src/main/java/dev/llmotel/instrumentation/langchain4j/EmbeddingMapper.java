package dev.llmotel.instrumentation.langchain4j;

import dev.llmotel.core.Accessors;
import dev.llmotel.core.ConfiguredBaseUrl;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
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
    call.request().server(ConfiguredBaseUrl.of(model));
    try {
      Object name = input != null && !(input instanceof List) ? Accessors.call(input, "modelName") : null;
      if (name == null) name = Accessors.call(model, "modelName");
      // The interface's default modelName() (1.9+) says "unknown": an in-process model is named by its class.
      if ((name == null || "unknown".equals(name)) && LangChain4jProviders.isInProcess(model)) {
        name = LangChain4jProviders.inProcessModelName(model);
      }
      if (name != null) call.request().requestModel(String.valueOf(name));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j embeddings request mapping", t);
    }
    try {
      // What is embedded, one user message per input: the request hash covers it (and the input
      // estimate counts it); it is content, recorded only when content capture is on.
      List<?> inputs = input instanceof List ? (List<?>) input : asList(Accessors.call(input, "inputs"));
      if (inputs != null) {
        for (Object each : inputs) {
          Object text = Accessors.call(each, "text");
          call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(text == null ? "" : String.valueOf(text))));
        }
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j embeddings input mapping", t);
    }
    return call;
  }

  private static List<?> asList(Object value) {
    return value instanceof List ? (List<?>) value : null;
  }

  /** Response&lt;List&lt;Embedding&gt;&gt; (embedAll) or EmbeddingResponse (1.18+ embed). */
  static void response(LlmCall call, Object response) {
    try {
      Object usage = Accessors.call(response, "tokenUsage");
      Object input = usage == null ? null : Accessors.call(usage, "inputTokenCount");
      if (input instanceof Integer) call.response().usage(((Integer) input).longValue(), null);
      Object embeddings = Accessors.call(response, "content");
      if (embeddings == null) embeddings = Accessors.call(response, "embeddings");
      if (embeddings instanceof List && !((List<?>) embeddings).isEmpty()) {
        Object dimension = Accessors.call(((List<?>) embeddings).get(0), "dimension");
        if (dimension instanceof Integer) call.response().embeddingDimensions(((Integer) dimension).longValue());
      }
      Object model = Accessors.call(response, "modelName");
      // "unknown" is the interface's default (in-process models): no response model rather than that.
      if (model != null && !"unknown".equals(model)) call.response().responseModel(String.valueOf(model));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j embeddings response mapping", t);
    }
  }

  private EmbeddingMapper() {}
}
