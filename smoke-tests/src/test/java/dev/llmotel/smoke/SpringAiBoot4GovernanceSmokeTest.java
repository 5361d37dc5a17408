package dev.llmotel.smoke;

/** Spring AI 2.0 lets the OpenAI SDK's exceptions through: a refused call fails with the SDK's 400. */
class SpringAiBoot4GovernanceSmokeTest extends AbstractSpringAiGovernanceSmokeTest {
  @Override String line() { return "boot4"; }
  @Override String refusedType() { return "com.openai.errors.BadRequestException"; }
}
