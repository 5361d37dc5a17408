package dev.llmotel.instrumentation.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * The tool calls a model response asked for, while Spring AI's ToolCallingManager executes them
 * on this thread. Spring AI 1.1 does not put the model's tool call id on a tool's observation, so
 * the id is found here, by tool name and arguments, each claimed once.
 */
final class ToolRound {
  private static final ThreadLocal<List<AssistantMessage.ToolCall>> REQUESTED = new ThreadLocal<>();

  /** Before executeToolCalls(prompt, response); returns what was there, for the exit to restore. */
  static Object begin(Object response) {
    List<AssistantMessage.ToolCall> previous = REQUESTED.get();
    List<AssistantMessage.ToolCall> calls = new ArrayList<>();
    if (response instanceof ChatResponse) {
      for (Generation g : ((ChatResponse) response).getResults()) {
        if (g.getOutput() != null) calls.addAll(g.getOutput().getToolCalls());
      }
    }
    REQUESTED.set(calls);
    return previous;
  }

  @SuppressWarnings("unchecked")
  static void end(Object previous) {
    if (previous == null) {
      REQUESTED.remove();
    } else {
      REQUESTED.set((List<AssistantMessage.ToolCall>) previous);
    }
  }

  static String claim(String name, String arguments) {
    List<AssistantMessage.ToolCall> calls = REQUESTED.get();
    if (calls == null) return null;
    AssistantMessage.ToolCall byNameOnly = null;
    for (AssistantMessage.ToolCall call : calls) {
      if (!Objects.equals(call.name(), name)) continue;
      if (Objects.equals(call.arguments(), arguments)) {
        calls.remove(call);
        return call.id();
      }
      if (byNameOnly == null) byNameOnly = call;
    }
    // Spring AI may have normalised the arguments (an empty object for none): the first by name.
    if (byNameOnly == null) return null;
    calls.remove(byNameOnly);
    return byNameOnly.id();
  }

  private ToolRound() {}
}
