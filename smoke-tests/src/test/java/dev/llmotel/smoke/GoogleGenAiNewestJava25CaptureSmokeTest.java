package dev.llmotel.smoke;

class GoogleGenAiNewestJava25CaptureSmokeTest extends AbstractGoogleGenAiSmokeTest {
  @Override String release() { return "newest"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
}
