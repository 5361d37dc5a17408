package dev.llmotel.smoke;

class LangChain4jNewestJava17SmokeTest extends AbstractLangChain4jSmokeTest {
  @Override String release() { return "newest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
