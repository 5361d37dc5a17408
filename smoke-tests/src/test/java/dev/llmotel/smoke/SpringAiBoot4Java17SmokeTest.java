package dev.llmotel.smoke;

/** Spring AI 2.0 on Spring Boot 4, on Java 17, content capture off. */
class SpringAiBoot4Java17SmokeTest extends AbstractSpringAiSmokeTest {
  @Override String line() { return "boot4"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
