package dev.llmotel.core.output;

import dev.llmotel.core.LlmResponse;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tool calls of a streamed answer, put together from their deltas (a name, then pieces of the
 * arguments) by their position, and handed to the response for the check when the stream ends.
 * Kept only when the request offered tools; bounded like {@link AnswerForValidation}.
 */
public final class StreamedToolCalls {
  private final boolean keep;
  private final Map<Long, StringBuilder[]> calls = new TreeMap<>();
  private long chars;

  /** @param keep whether the request offered tools (nothing is kept otherwise) */
  public StreamedToolCalls(boolean keep) {
    this.keep = keep;
  }

  /** A delta of the tool call at {@code position} of choice {@code choice}: its name, or arguments, or both. */
  public void delta(long choice, long position, String name, String arguments) {
    if (!keep) return;
    Long key = Math.min(choice, 1L << 20) * 1024 + Math.max(0, Math.min(position, 1023));
    StringBuilder[] call = calls.get(key);
    if (call == null) {
      if (calls.size() >= AnswerForValidation.MAX_TOOL_CALLS) return;
      calls.put(key, call = new StringBuilder[] {new StringBuilder(), new StringBuilder()});
    }
    if (name != null && call[0].length() == 0) call[0].append(name);
    if (arguments != null && chars + arguments.length() <= AnswerForValidation.MAX_CHARS) {
      chars += arguments.length();
      call[1].append(arguments);
    }
  }

  /** At the stream's end: every tool call, in order, to the response. */
  public void finish(LlmResponse response) {
    for (StringBuilder[] call : calls.values()) response.answerToolCall(call[0].toString(), call[1].toString());
    calls.clear();
  }
}
