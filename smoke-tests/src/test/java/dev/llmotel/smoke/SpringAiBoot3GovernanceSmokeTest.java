package dev.llmotel.smoke;

/** Spring AI 1.1 turns a 400 into its retry module's NonTransientAiException. */
class SpringAiBoot3GovernanceSmokeTest extends AbstractFrameworkGovernanceSmokeTest {
  @Override String appModule() { return "spring-ai-app-boot3"; }
  @Override String mainClass() { return "dev.llmotel.smoke.springai.SpringAiSmokeApp"; }
  @Override String agentName() { return "WeatherAgent"; }
  @Override String refusedType() { return "org.springframework.ai.retry.NonTransientAiException"; }
  @Override String unusableAnswerType() { return refusedType(); }
  /** A stream's completion waits for the answer's review, and becomes the same exception as the Flux's error. */
  @Override String rejectedStreamType() { return unusableAnswerType(); }
}
