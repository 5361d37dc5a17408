package dev.llmotel.smoke;

import java.util.List;

/** OkHttp 3.12.13, the Java 7 line that legacy services still run (before one-shot request bodies). */
class OkHttp3SmokeTest extends AbstractRawHttpSmokeTest {
  @Override String mainClass() { return "dev.llmotel.smoke.okhttp.OkHttpSmokeApp"; }
  @Override String scope() { return OkHttp4SmokeTest.SCOPE; }
  @Override String asyncScenario() { return "chat-enqueued"; }
  @Override List<String> extraScenarios() { return List.of(); }
  @Override String appModule() { return "okhttp-app-3"; }
}
