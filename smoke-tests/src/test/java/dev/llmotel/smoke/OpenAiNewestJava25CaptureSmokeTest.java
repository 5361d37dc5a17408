package dev.llmotel.smoke;

/**
 * The newest supported openai-java on Java 25 with content capture on, recording the latest GenAI
 * conventions' metric names (otel.semconv-stability.opt-in).
 */
class OpenAiNewestJava25CaptureSmokeTest extends AbstractOpenAiSmokeTest {
  @Override String sdk() { return "newest"; }
  @Override String javaHome() { return AgentApp.required("smoke.java25Home"); }
  @Override boolean captureContent() { return true; }
  @Override String semconvOptIn() { return "gen_ai_latest_experimental"; }
}
