package dev.llmotel.smoke;

/** The oldest supported openai-java on Java 17, content capture off (the default). */
class OpenAiOldestJava17SmokeTest extends AbstractOpenAiSmokeTest {
  @Override String sdk() { return "oldest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
