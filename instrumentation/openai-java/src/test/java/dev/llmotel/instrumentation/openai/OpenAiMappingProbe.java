package dev.llmotel.instrumentation.openai;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmotel.core.LlmCall;
import java.util.List;

/** The package-private mappers, for the fuzz tests in the fuzz package. */
public final class OpenAiMappingProbe {
  public static LlmCall mapChatResponse(ChatCompletion completion) {
    LlmCall call = new LlmCall("openai", "chat");
    ChatCompletionMapper.response(call, completion);
    return call;
  }

  public static LlmCall accumulateStream(List<ChatCompletionChunk> chunks) {
    LlmCall call = new LlmCall("openai", "chat").request().streaming(true).call();
    ChatStreamAccumulator acc = new ChatStreamAccumulator(call);
    for (ChatCompletionChunk chunk : chunks) acc.onChunk(chunk);
    acc.finish();
    return call;
  }

  public static LlmCall mapResponse(Response response) {
    LlmCall call = new LlmCall("openai", "responses");
    ResponsesMapper.response(call, response);
    return call;
  }

  public static LlmCall mapResponseEvent(ResponseStreamEvent event) {
    LlmCall call = new LlmCall("openai", "responses").request().streaming(true).call();
    ResponsesMapper.onEvent(call, event);
    return call;
  }

  private OpenAiMappingProbe() {}
}
