package dev.llmotel.instrumentation.langchain4j;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenters of this module: one scope for LangChain4j's agents, tools and model calls. */
final class LangChain4jTelemetry {
  static final String SCOPE = "dev.llmotel.langchain4j";
  static final LlmInstrumenter CALLS = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);
  static final AgentInstrumenter AGENTS = AgentInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private LangChain4jTelemetry() {}
}
