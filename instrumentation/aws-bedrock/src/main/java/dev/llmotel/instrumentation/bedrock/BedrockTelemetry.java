package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module. */
final class BedrockTelemetry {
  static final String SCOPE = "dev.llmotel.aws-bedrock";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private BedrockTelemetry() {}
}
