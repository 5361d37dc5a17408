package dev.llmotel.smoke;

/** Spring AI 1.1 on Spring Boot 3, on Java 25, content capture on. */
class SpringAiBoot3Java25CaptureSmokeTest extends AbstractSpringAiSmokeTest {
  @Override String line() { return "boot3"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
}
