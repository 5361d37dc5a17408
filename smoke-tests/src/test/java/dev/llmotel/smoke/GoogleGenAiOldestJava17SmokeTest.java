package dev.llmotel.smoke;

class GoogleGenAiOldestJava17SmokeTest extends AbstractGoogleGenAiSmokeTest {
  @Override String release() { return "oldest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
