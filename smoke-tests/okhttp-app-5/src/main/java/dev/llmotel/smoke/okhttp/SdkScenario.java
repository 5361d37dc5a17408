package dev.llmotel.smoke.okhttp;

/** The OkHttp 5 app has no SDK: the no-duplicate rule is shown by the OkHttp 4 app, whose OpenAI SDK uses OkHttp 4. */
final class SdkScenario {
  static String chat(String root, String scenario) {
    throw new UnsupportedOperationException("no SDK in this app");
  }

  private SdkScenario() {}
}
