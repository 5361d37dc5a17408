package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenters of this module: one scope for Spring AI's agents, tools, retrievals and model calls. */
final class SpringAiTelemetry {
  static final String SCOPE = "dev.llmotel.spring-ai";
  static final LlmInstrumenter CALLS = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);
  static final AgentInstrumenter AGENTS = AgentInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private SpringAiTelemetry() {}
}
