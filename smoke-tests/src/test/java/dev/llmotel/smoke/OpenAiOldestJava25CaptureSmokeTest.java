package dev.llmotel.smoke;

/** The oldest supported openai-java on Java 25 with content capture on. */
class OpenAiOldestJava25CaptureSmokeTest extends AbstractOpenAiSmokeTest {
  @Override String sdk() { return "oldest"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
}
