package dev.llmotel.smoke;

class LangChain4jOldestJava17SmokeTest extends AbstractLangChain4jSmokeTest {
  @Override String release() { return "oldest"; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
}
