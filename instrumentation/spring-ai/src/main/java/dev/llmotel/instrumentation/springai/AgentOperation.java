package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.AgentRun;
import io.opentelemetry.context.Context;
import java.util.Map;

/** One ChatClient call: an invoke_agent span, parent of the model calls and tools it runs. */
final class AgentOperation extends ObservedOperation {
  /** Spring AI's {@code ChatMemory.CONVERSATION_ID}: the advisor parameter naming the chat memory's conversation. */
  static final String CONVERSATION_ID = "chat_memory_conversation_id";
  private static final OptionalAccessor GET_REQUEST = new OptionalAccessor("getRequest");
  private static final OptionalAccessor REQUEST_CONTEXT = new OptionalAccessor("context");

  private final AgentRun run;

  AgentOperation(String name, Object observationContext) {
    this.run = new AgentRun(name);
    run.conversationId(conversationId(observationContext));
  }

  /**
   * The conversation the call's chat-memory advisor reads ({@code ChatClientRequest.context()}'s
   * {@code chat_memory_conversation_id}), or null: a call without a memory advisor names none.
   */
  static Object conversationId(Object observationContext) {
    Object request = GET_REQUEST.call(observationContext);
    Object context = REQUEST_CONTEXT.call(request);
    return context instanceof Map ? ((Map<?, ?>) context).get(CONVERSATION_ID) : null;
  }

  @Override
  protected Context begin(Context parent) {
    return SpringAiTelemetry.AGENTS.startAgent(parent, run);
  }

  @Override
  protected void finish(Context context, Throwable error) {
    SpringAiTelemetry.AGENTS.endAgent(context, run, error);
  }
}
