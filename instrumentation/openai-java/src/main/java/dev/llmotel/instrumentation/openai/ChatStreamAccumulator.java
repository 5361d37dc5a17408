package dev.llmotel.instrumentation.openai;

import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.output.StreamedToolCalls;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the response side of a call from stream chunks: ids, model, finish reasons and usage
 * always; the text and tool calls only when content capture is on, and then at most the configured
 * number of characters, so a 100,000-chunk stream costs bounded memory.
 */
final class ChatStreamAccumulator {
  private final LlmCall call;
  private final boolean capture = LlmOtelConfig.get().captureContent();
  private final int maxChars = LlmOtelConfig.get().contentMaxLength();
  private final Map<Long, ChoiceState> choices = new TreeMap<>();
  /** Tool calls put together for the check against their tools' schemas, capture on or off. */
  private final StreamedToolCalls toolCallsForCheck;
  /**
   * Whether the answer's text is kept for its check or its evaluation: both are decided before the
   * stream starts, so per chunk it is one field read, not a call into the response's lock.
   */
  private final boolean keepsAnswerText;
  private final boolean logprobsRequested;
  /** The first choice's state, outside the map: nearly every stream has only that one. */
  private ChoiceState firstChoice;
  /** The answer's characters so far, moved onto the call once in {@link #finish}, not per chunk. */
  private long outputCharacters;
  private boolean sawResponseId;
  private boolean sawResponseModel;
  private boolean failedOnce;

  ChatStreamAccumulator(LlmCall call) {
    this.call = call;
    this.toolCallsForCheck = new StreamedToolCalls(!call.request().toolDefinitions().isEmpty());
    this.keepsAnswerText = call.response().keepsAnswerText();
    this.logprobsRequested = call.request().logprobsRequested();
  }

  private ChoiceState choice(long index) {
    if (index == 0) {
      if (firstChoice == null) firstChoice = choices.computeIfAbsent(0L, i -> new ChoiceState());
      return firstChoice;
    }
    return choices.computeIfAbsent(index, i -> new ChoiceState());
  }

  /**
   * Each part of a chunk is read on its own, as {@link ChatCompletionMapper#response} reads a whole response: an
   * OpenAI-compatible server that leaves the id, the model or the choices out of its chunks (the SDK's accessors of
   * required fields throw then) still gives the span the other parts, the usage of its last chunk among them.
   */
  synchronized void onChunk(ChatCompletionChunk chunk) {
    call.response().onChunk();
    if (!sawResponseId || !sawResponseModel) {
      try {
        identity(chunk);
      } catch (Throwable t) {
        failed(t);
      }
    }
    try {
      choices(chunk);
    } catch (Throwable t) {
      failed(t);
    }
    try {
      chunk.usage().ifPresent(u -> ChatCompletionMapper.usage(call, u));
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** The response's id and model, from the first chunk that has each; read without the required-field check. */
  private void identity(ChatCompletionChunk chunk) {
    if (!sawResponseId) {
      java.util.Optional<String> id = chunk._id().asKnown();
      if (id.isPresent()) {
        sawResponseId = true;
        call.response().responseId(id.get());
      }
    }
    if (!sawResponseModel) {
      java.util.Optional<String> model = chunk._model().asKnown();
      if (model.isPresent()) {
        sawResponseModel = true;
        call.response().responseModel(model.get());
      }
    }
  }

  private void failed(Throwable t) {
    if (!failedOnce) {
      failedOnce = true;
      SafeHooks.failed("openai chat stream chunk mapping", t);
    }
  }

  private void choices(ChatCompletionChunk chunk) {
    java.util.List<ChatCompletionChunk.Choice> chunkChoices = chunk.choices();
    for (int c = 0; c < chunkChoices.size(); c++) { // indexed: no iterator per chunk
      ChatCompletionChunk.Choice choice = chunkChoices.get(c);
      long index = OpenAiJson.hasValue(choice._index()) ? choice.index() : c;
      ChoiceState state = choice(index);
      if (choice.finishReason().isPresent()) state.finishReason = choice.finishReason().get().asString();
      ChatCompletionChunk.Choice.Delta delta = choice.delta();
      // The answer's length is counted whether or not it is captured: a stream that never reports
      // usage (no include_usage, or closed early) is estimated from it.
      java.util.Optional<String> content = delta.content();
      if (content.isPresent()) {
        outputCharacters += content.get().length();
        if (keepsAnswerText) call.response().answerText((int) index, content.get());
        if (capture) state.appendText(content.get());
      }
      if (delta.refusal().isPresent()) call.response().modelRefused(true);
      if (logprobsRequested && choice.logprobs().isPresent()
          && choice.logprobs().get().content().isPresent()) {
        for (com.openai.models.chat.completions.ChatCompletionTokenLogprob token : choice.logprobs().get().content().get()) {
          call.response().tokenLogprob(token.logprob());
        }
      }
      if (delta.toolCalls().isPresent()) {
        for (ChatCompletionChunk.Choice.Delta.ToolCall tc : delta.toolCalls().get()) {
          if (tc.function().isPresent()) {
            java.util.Optional<String> arguments = tc.function().get().arguments();
            if (arguments.isPresent()) outputCharacters += arguments.get().length();
            toolCallsForCheck.delta(index, tc.index(), tc.function().get().name().orElse(null),
                tc.function().get().arguments().orElse(null));
          }
          if (!capture) continue;
          ToolCallState t = state.toolCalls.computeIfAbsent(tc.index(), i -> new ToolCallState());
          tc.id().ifPresent(id -> t.id = id);
          if (tc.function().isPresent()) {
            tc.function().get().name().ifPresent(n -> t.name = n);
            tc.function().get().arguments().ifPresent(a -> t.appendArgs(a, maxChars));
          }
        }
      }
    }
  }

  /** Moves what the chunks said onto the call; called once, before the span ends. */
  synchronized void finish() {
    if (outputCharacters > 0) call.response().addOutputCharacters(outputCharacters);
    toolCallsForCheck.finish(call.response());
    for (ChoiceState state : choices.values()) {
      call.response().addFinishReason(state.finishReason);
      if (capture) {
        LlmMessage out = new LlmMessage("assistant").finishReason(state.finishReason);
        if (state.text.length() > 0) out.add(LlmMessage.Part.text(state.text.toString()));
        for (ToolCallState t : state.toolCalls.values()) {
          out.add(LlmMessage.Part.toolCall(t.id, t.name, t.args.toString()));
        }
        call.response().addOutputMessage(out);
      }
    }
  }

  private final class ChoiceState {
    final StringBuilder text = new StringBuilder();
    final Map<Long, ToolCallState> toolCalls = new TreeMap<>();
    String finishReason;

    void appendText(String s) {
      int room = maxChars + 1 - text.length(); // one more than the cap, so truncation is detected
      if (room > 0) text.append(s, 0, Math.min(room, s.length()));
    }
  }

  private static final class ToolCallState {
    final StringBuilder args = new StringBuilder();
    String id;
    String name;

    void appendArgs(String s, int maxChars) {
      int room = maxChars + 1 - args.length();
      if (room > 0) args.append(s, 0, Math.min(room, s.length()));
    }
  }
}
