package dev.llmotel.instrumentation.anthropic;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module. */
final class AnthropicTelemetry {
  static final String SCOPE = "dev.llmotel.anthropic-java";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private AnthropicTelemetry() {}
}
