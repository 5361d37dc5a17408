package dev.llmotel.instrumentation.javahttpclient;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module. */
final class JavaHttpClientTelemetry {
  static final String SCOPE = "dev.llmotel.java-http-client";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private JavaHttpClientTelemetry() {}
}
