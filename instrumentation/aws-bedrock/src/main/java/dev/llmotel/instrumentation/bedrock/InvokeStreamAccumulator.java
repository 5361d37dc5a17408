package dev.llmotel.instrumentation.bedrock;

import static dev.llmotel.instrumentation.bedrock.InvokeModelMapper.map;
import static dev.llmotel.instrumentation.bedrock.InvokeModelMapper.string;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.output.StreamedToolCalls;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.model.PayloadPart;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * What an InvokeModelWithResponseStream delivers: chunks of the model family's own stream events.
 * Every family's last chunk carries Bedrock's "amazon-bedrock-invocationMetrics" (the token counts);
 * the stop reason is read where the families put it, and the Anthropic family's answer (text and
 * tool-input deltas by content block) for its check against what the request declared.
 */
final class InvokeStreamAccumulator {
  private final LlmCall call;
  private final StreamedToolCalls toolCalls;
  private String stopReason;
  private boolean sawMetrics;

  InvokeStreamAccumulator(LlmCall call) {
    this.call = call;
    this.toolCalls = new StreamedToolCalls(!call.request().toolDefinitions().isEmpty());
  }

  synchronized void onEvent(ResponseStream event) {
    if (!(event instanceof PayloadPart) || ((PayloadPart) event).bytes() == null) return;
    Map<?, ?> chunk = InvokeModelMapper.object(((PayloadPart) event).bytes());
    if (chunk == null) return;
    call.response().addOutputCharacters(answerCharacters(chunk));
    anthropicAnswer(chunk);
    Object delta = chunk.get("delta");
    String stop = delta instanceof Map ? InvokeModelMapper.string(((Map<?, ?>) delta).get("stop_reason")) : null;
    if (stop == null) stop = InvokeModelMapper.string(chunk.get("stop_reason"));
    if (stop == null) stop = InvokeModelMapper.string(chunk.get("completionReason"));
    if (stop != null) stopReason = stop;
    Object metrics = chunk.get("amazon-bedrock-invocationMetrics");
    if (metrics instanceof Map) {
      Object in = ((Map<?, ?>) metrics).get("inputTokenCount");
      Object out = ((Map<?, ?>) metrics).get("outputTokenCount");
      if (in instanceof Number) {
        call.response().usage(((Number) in).longValue(), out instanceof Number ? ((Number) out).longValue() : null);
      }
      sawMetrics = true;
    }
  }

  /** The Anthropic family's content block events: a tool_use block's name, then text or input_json deltas. */
  private void anthropicAnswer(Map<?, ?> chunk) {
    String type = string(chunk.get("type"));
    Object index = chunk.get("index");
    long position = index instanceof Number ? ((Number) index).longValue() : 0;
    if ("content_block_start".equals(type)) {
      Map<?, ?> block = map(chunk.get("content_block"));
      if ("tool_use".equals(string(block.get("type")))) {
        call.response().addToolCallId(string(block.get("id")));
        toolCalls.delta(0, position, string(block.get("name")), null);
      }
    } else if ("content_block_delta".equals(type)) {
      Map<?, ?> delta = map(chunk.get("delta"));
      call.response().answerText(0, string(delta.get("text")));
      String json = string(delta.get("partial_json"));
      if (json != null) toolCalls.delta(0, position, null, json);
    }
  }

  /**
   * The characters of answer text and tool input in one chunk, wherever its model family puts them,
   * counted whether or not content is captured: a stream closed before its invocation metrics (the
   * usage) is estimated from them. Anthropic's {@code delta.text} / {@code delta.partial_json}, Amazon
   * Nova's {@code contentBlockDelta.delta.text} / {@code .toolUse.input}, Titan's {@code outputText},
   * Llama's {@code generation}, Cohere's {@code text} / {@code generations[].text}, Mistral's
   * {@code outputs[].text}, and the OpenAI-style {@code choices[].text} / {@code choices[].delta.content}
   * (DeepSeek, AI21, OpenAI's open models). Reasoning text is not counted.
   */
  static long answerCharacters(Map<?, ?> chunk) {
    long n = length(chunk.get("outputText")) + length(chunk.get("generation")) + length(chunk.get("text"));
    Map<?, ?> delta = map(chunk.get("delta"));
    n += length(delta.get("text")) + length(delta.get("partial_json"));
    Map<?, ?> novaDelta = map(map(chunk.get("contentBlockDelta")).get("delta"));
    n += length(novaDelta.get("text")) + length(map(novaDelta.get("toolUse")).get("input"));
    for (String list : new String[] {"generations", "outputs", "choices"}) {
      if (!(chunk.get(list) instanceof List)) continue;
      for (Object item : (List<?>) chunk.get(list)) {
        Map<?, ?> m = map(item);
        n += length(m.get("text")) + length(map(m.get("delta")).get("content"));
      }
    }
    return n;
  }

  private static long length(Object v) {
    return v instanceof String ? ((String) v).length() : 0;
  }

  synchronized boolean finished() {
    return sawMetrics;
  }

  synchronized void finish() {
    call.response().addFinishReason(stopReason);
    toolCalls.finish(call.response());
  }
}
