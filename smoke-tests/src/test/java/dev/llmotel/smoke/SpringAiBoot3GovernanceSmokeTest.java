package dev.llmotel.smoke;

/** Spring AI 1.1 turns a 400 into its retry module's NonTransientAiException. */
class SpringAiBoot3GovernanceSmokeTest extends AbstractSpringAiGovernanceSmokeTest {
  @Override String line() { return "boot3"; }
  @Override String refusedType() { return "org.springframework.ai.retry.NonTransientAiException"; }
}
