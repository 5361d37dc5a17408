package dev.llmotel.instrumentation.googlegenai;

import com.google.genai.types.Candidate;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a generateContentStream delivers, chunk by chunk: each chunk is a partial response. Text
 * pieces add up per candidate; the finish reason and usage of the last chunk that carries them
 * are the call's (Gemini repeats usage on chunks, with the final numbers last).
 */
final class ContentStreamAccumulator {
  private final LlmCall call;
  private final boolean capture = LlmOtelConfig.get().captureContent();
  private final Map<Integer, String> finishReasons = new TreeMap<>();
  private final Map<Integer, LlmMessage> outputs = capture ? new TreeMap<Integer, LlmMessage>() : null;
  /** Text not yet made a part, per candidate: a stream's text arrives in pieces that make one part. */
  private final Map<Integer, StringBuilder> pendingText = capture ? new TreeMap<Integer, StringBuilder>() : null;
  private GenerateContentResponseUsageMetadata usage;
  private boolean sawFinish;

  ContentStreamAccumulator(LlmCall call) {
    this.call = call;
  }

  synchronized void onChunk(Object element) {
    if (!(element instanceof GenerateContentResponse)) return;
    GenerateContentResponse chunk = (GenerateContentResponse) element;
    ContentMapper.ids(call, chunk);
    if (chunk.usageMetadata().isPresent()) usage = chunk.usageMetadata().get();
    java.util.List<Candidate> candidates = chunk.candidates().orElse(java.util.Collections.<Candidate>emptyList());
    for (int i = 0; i < candidates.size(); i++) {
      Candidate candidate = candidates.get(i);
      int index = candidate.index().orElse(i);
      String finish = ContentMapper.finishReason(candidate);
      if (finish != null) {
        finishReasons.put(index, finish);
        sawFinish = true;
      }
      if (!candidate.content().isPresent()) continue;
      Content content = candidate.content().get();
      for (Part part : content.parts().orElse(java.util.Collections.<Part>emptyList())) {
        ContentMapper.toolCallId(call, part);
        ContentMapper.answer(call, index, part);
        countCharacters(part);
        if (outputs != null) {
          LlmMessage out = outputs.get(index);
          if (out == null) outputs.put(index, out = new LlmMessage("assistant"));
          appendPart(index, out, part);
        }
      }
    }
  }

  /**
   * The answer's length is counted whether or not it is captured (a stream closed before its usage
   * is estimated from it): text parts but thoughts, and a function call's arguments as JSON.
   */
  private void countCharacters(Part part) {
    if (part.thought().orElse(false)) return;
    if (part.text().isPresent()) {
      call.response().addOutputCharacters(part.text().get().length());
    } else if (part.functionCall().isPresent() && part.functionCall().get().args().isPresent()) {
      String args = GeminiJson.write(part.functionCall().get().args().get());
      if (args != null) call.response().addOutputCharacters(args.length());
    }
  }

  private void appendPart(int index, LlmMessage out, Part part) {
    if (part.thought().orElse(false)) return;
    if (part.text().isPresent()) {
      StringBuilder text = pendingText.get(index);
      if (text == null) pendingText.put(index, text = new StringBuilder());
      text.append(part.text().get());
      return;
    }
    flushText(index, out);
    ContentMapper.addOutputPart(out, part);
  }

  private void flushText(int index, LlmMessage out) {
    StringBuilder text = pendingText.remove(index);
    if (text != null) out.add(LlmMessage.Part.text(text.toString()));
  }

  /** The provider ended the stream with a finish reason: reading on only finds its end. */
  synchronized boolean finished() {
    return sawFinish;
  }

  /** Runs once, before the span ends, whichever way the stream ended. */
  synchronized void finish() {
    for (String reason : finishReasons.values()) call.response().addFinishReason(reason);
    if (outputs != null) {
      for (Map.Entry<Integer, LlmMessage> e : outputs.entrySet()) {
        flushText(e.getKey(), e.getValue());
        call.response().addOutputMessage(e.getValue().finishReason(finishReasons.get(e.getKey())));
      }
    }
    ContentMapper.usage(call, usage);
  }
}
