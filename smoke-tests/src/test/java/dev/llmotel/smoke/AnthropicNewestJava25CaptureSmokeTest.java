package dev.llmotel.smoke;

class AnthropicNewestJava25CaptureSmokeTest extends AbstractAnthropicSmokeTest {
  @Override String release() { return "newest"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
}
