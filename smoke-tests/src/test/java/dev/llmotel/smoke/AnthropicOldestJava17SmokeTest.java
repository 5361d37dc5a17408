package dev.llmotel.smoke;

class AnthropicOldestJava17SmokeTest extends AbstractAnthropicSmokeTest {
  @Override String release() { return "oldest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
