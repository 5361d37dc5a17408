package dev.llmotel.smoke;

import java.util.List;

/** OkHttp 5.5.1 (Kotlin multiplatform; the same Java API). */
class OkHttp5SmokeTest extends AbstractRawHttpSmokeTest {
  static final String SCOPE = "dev.llmotel.okhttp";

  @Override String mainClass() { return "dev.llmotel.smoke.okhttp.OkHttpSmokeApp"; }
  @Override String scope() { return SCOPE; }
  @Override String asyncScenario() { return "chat-enqueued"; }
  @Override List<String> extraScenarios() { return List.of(); }
  @Override String appModule() { return "okhttp-app-5"; }
}
