package dev.llmotel.smoke;

/** The JDK's HttpClient of Temurin 25: its internals (the facade, the body publishers) are the JDK's own. */
class JavaHttpClientJava25SmokeTest extends JavaHttpClientSmokeTest {
  @Override
  String javaHome() {
    return AgentApp.required("smoke.java25Home");
  }
}
