package dev.llmotel.smoke;

/** The newest supported openai-java on Java 17, content capture off (the default). */
class OpenAiNewestJava17SmokeTest extends AbstractOpenAiSmokeTest {
  @Override String sdk() { return "newest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
