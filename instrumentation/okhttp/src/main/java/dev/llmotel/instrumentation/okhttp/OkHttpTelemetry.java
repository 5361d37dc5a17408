package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module. */
final class OkHttpTelemetry {
  static final String SCOPE = "dev.llmotel.okhttp";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private OkHttpTelemetry() {}
}
