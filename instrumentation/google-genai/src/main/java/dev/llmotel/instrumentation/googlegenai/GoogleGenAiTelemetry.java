package dev.llmotel.instrumentation.googlegenai;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module. */
final class GoogleGenAiTelemetry {
  static final String SCOPE = "dev.llmotel.google-genai";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private GoogleGenAiTelemetry() {}
}
