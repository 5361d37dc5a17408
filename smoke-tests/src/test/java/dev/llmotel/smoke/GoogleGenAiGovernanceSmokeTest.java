package dev.llmotel.smoke;

/** The Google GenAI SDK refuses with its ClientException (a 400); an answer it cannot use fails with its GenAiIOException. */
class GoogleGenAiGovernanceSmokeTest extends AbstractSdkGovernanceSmokeTest {
  @Override String appModule() { return "google-genai-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp"; }
  @Override String refused() { return "com.google.genai.errors.ClientException"; }
  @Override String invalidData() { return "com.google.genai.errors.GenAiIOException"; }
}
