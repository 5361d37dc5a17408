package dev.llmotel.smoke;

/** The Anthropic SDK refuses with its BadRequestException; an answer it cannot use fails with its AnthropicInvalidDataException. */
class AnthropicGovernanceSmokeTest extends AbstractSdkGovernanceSmokeTest {
  @Override String appModule() { return "anthropic-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.anthropic.AnthropicSmokeApp"; }
  @Override String refused() { return "com.anthropic.errors.BadRequestException"; }
  @Override String invalidData() { return "com.anthropic.errors.AnthropicInvalidDataException"; }
}
