package dev.llmotel.smoke;

class BedrockOldestJava17SmokeTest extends AbstractBedrockSmokeTest {
  @Override String release() { return "oldest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
