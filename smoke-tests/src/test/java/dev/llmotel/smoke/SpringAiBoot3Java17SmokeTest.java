package dev.llmotel.smoke;

/** Spring AI 1.1 on Spring Boot 3, on Java 17, content capture off. */
class SpringAiBoot3Java17SmokeTest extends AbstractSpringAiSmokeTest {
  @Override String line() { return "boot3"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
