package dev.llmotel.core.http;

import static dev.llmotel.core.http.JsonMaps.list;
import static dev.llmotel.core.http.JsonMaps.longValue;
import static dev.llmotel.core.http.JsonMaps.map;
import static dev.llmotel.core.http.JsonMaps.string;

import dev.llmotel.core.LlmCall;
import dev.llmotel.semconv.GenAiValues;
import java.util.Collections;
import java.util.Map;

/** OpenAI embeddings ({@code /embeddings}). */
final class OpenAiEmbeddingsWire implements WireFormat {
  static final OpenAiEmbeddingsWire INSTANCE = new OpenAiEmbeddingsWire();

  @Override
  public String name() {
    return "openai-embeddings";
  }

  @Override
  public String operation() {
    return GenAiValues.OPERATION_EMBEDDINGS;
  }

  /** {@code model} (or a deployment in the path) and {@code input}, a string or an array. */
  @Override
  public boolean isRequest(Map<?, ?> body, String pathModel) {
    return JsonMaps.namesModel(body, pathModel) && JsonMaps.isStringOrList(body.get("input"));
  }

  @Override
  public void request(LlmCall call, Map<?, ?> body, String pathModel) {
    String model = string(body.get("model"));
    call.request().requestModel(model != null ? model : pathModel);
    call.response().embeddingDimensions(longValue(body.get("dimensions")));
    String format = string(body.get("encoding_format"));
    if (format != null) call.request().encodingFormats(Collections.singletonList(format));
  }

  @Override
  public boolean streamRequested(Map<?, ?> body, String path) {
    return false;
  }

  @Override
  public void response(LlmCall call, Map<?, ?> body) {
    call.response().responseModel(string(body.get("model")));
    Long input = longValue(map(body.get("usage")).get("prompt_tokens"));
    if (input != null) call.response().usage(input, null);
    if (call.response().embeddingDimensions() == null && !list(body.get("data")).isEmpty()) {
      Object embedding = map(list(body.get("data")).get(0)).get("embedding");
      if (embedding instanceof java.util.List) {
        call.response().embeddingDimensions((long) ((java.util.List<?>) embedding).size());
      } else if (embedding instanceof String) {
        call.response().embeddingDimensions(base64Dimensions((String) embedding));
      }
    }
  }

  /**
   * The dimensions of an embedding sent as {@code encoding_format: base64}: little-endian float32
   * values, four bytes each, counted from the text's length without decoding it; null for text that
   * is not such a value.
   */
  static Long base64Dimensions(String base64) {
    int length = base64.length();
    if (length == 0 || length % 4 != 0) return null;
    int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
    long bytes = length / 4L * 3 - padding;
    return bytes % 4 == 0 ? bytes / 4 : null;
  }

  @Override
  public StreamEvents stream(LlmCall call) {
    return null;
  }
}
