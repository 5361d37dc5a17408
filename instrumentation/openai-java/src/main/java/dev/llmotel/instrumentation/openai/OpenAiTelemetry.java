package dev.llmotel.instrumentation.openai;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module: one instrumentation scope for all OpenAI SDK calls. */
final class OpenAiTelemetry {
  static final String SCOPE = "dev.llmotel.openai-java";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private OpenAiTelemetry() {}
}
