package dev.llmotel.instrumentation.apachehttpclient5;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelVersion;

/** The instrumenter of this module. */
final class ApacheHttpClientTelemetry {
  static final String SCOPE = "dev.llmotel.apache-httpclient-5";
  static final LlmInstrumenter INSTRUMENTER = LlmInstrumenter.create(SCOPE, LlmOtelVersion.VERSION);

  private ApacheHttpClientTelemetry() {}
}
