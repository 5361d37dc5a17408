package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.AgentRun;
import io.opentelemetry.context.Context;

/** One ChatClient call: an invoke_agent span, parent of the model calls and tools it runs. */
final class AgentOperation extends ObservedOperation {
  private final AgentRun run;

  AgentOperation(String name) {
    this.run = new AgentRun(name);
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
