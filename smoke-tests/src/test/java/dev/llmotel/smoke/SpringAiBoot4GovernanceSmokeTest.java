package dev.llmotel.smoke;

/** Spring AI 2.0 lets the OpenAI SDK's exceptions through: a refused call fails with the SDK's 400. */
class SpringAiBoot4GovernanceSmokeTest extends AbstractFrameworkGovernanceSmokeTest {
  @Override String appModule() { return "spring-ai-app-boot4"; }
  @Override String mainClass() { return "dev.llmotel.smoke.springai.SpringAiSmokeApp"; }
  @Override String agentName() { return "WeatherAgent"; }
  @Override String refusedType() { return "com.openai.errors.BadRequestException"; }
  /** The OpenAI SDK's own exception for data it cannot use. */
  @Override String unusableAnswerType() { return "com.openai.errors.OpenAIInvalidDataException"; }
  /** A stream's completion waits for the answer's review, and becomes the same exception as the Flux's error. */
  @Override String rejectedStreamType() { return unusableAnswerType(); }
}
