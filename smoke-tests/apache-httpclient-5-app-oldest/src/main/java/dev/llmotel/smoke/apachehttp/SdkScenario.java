package dev.llmotel.smoke.apachehttp;

/** The oldest release's app has no SDK scenario (the newest one's runs Spring AI over HttpClient 5). */
final class SdkScenario {
  static String chat(String root, String scenario) {
    throw new UnsupportedOperationException("no SDK scenario on this app");
  }

  private SdkScenario() {}
}
