package dev.llmotel.smoke.okhttp;

/** No SDK runs on OkHttp 3 (the OpenAI SDK needs 4): this app has no SDK scenario. */
final class SdkScenario {
  static String chat(String root, String scenario) {
    throw new UnsupportedOperationException("no SDK scenario on OkHttp 3");
  }

  private SdkScenario() {}
}
