package dev.llmotel.smoke;

class LangChain4jNewestJava25CaptureSmokeTest extends AbstractLangChain4jSmokeTest {
  @Override String release() { return "newest"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
}
