package dev.llmotel.smoke;

class BedrockNewestJava25CaptureSmokeTest extends AbstractBedrockSmokeTest {
  @Override String release() { return "newest"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
}
