package dev.llmotel.core;

import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One invocation of an agent (a LangChain4j AI service method, a Spring AI ChatClient call): the
 * parent of its model calls and tool executions. It remembers which model call asked for which
 * tool call id, so a tool's span can link back to the chat span that requested it.
 */
public final class AgentRun {
  private final String name;
  private final Map<String, SpanContext> toolCallSources = new ConcurrentHashMap<>();

  public AgentRun(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  void toolCallRequested(String toolCallId, SpanContext chatSpan) {
    // Bounded: a runaway agent loop must not grow this map without end.
    if (toolCallId != null && toolCallSources.size() < 1000) toolCallSources.put(toolCallId, chatSpan);
  }

  SpanContext toolCallSource(String toolCallId) {
    return toolCallId == null ? null : toolCallSources.get(toolCallId);
  }
}
