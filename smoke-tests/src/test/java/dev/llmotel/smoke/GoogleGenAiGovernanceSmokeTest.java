package dev.llmotel.smoke;

/** The Google GenAI SDK refuses with its ClientException (a 400). */
class GoogleGenAiGovernanceSmokeTest extends AbstractSdkGovernanceSmokeTest {
  @Override String appModule() { return "google-genai-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp"; }
  @Override String refused() { return "com.google.genai.errors.ClientException"; }
}
