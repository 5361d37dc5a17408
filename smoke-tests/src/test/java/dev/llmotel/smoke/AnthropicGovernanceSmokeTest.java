package dev.llmotel.smoke;

/** The Anthropic SDK refuses with its BadRequestException. */
class AnthropicGovernanceSmokeTest extends AbstractSdkGovernanceSmokeTest {
  @Override String appModule() { return "anthropic-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.anthropic.AnthropicSmokeApp"; }
  @Override String refused() { return "com.anthropic.errors.BadRequestException"; }
}
