package dev.llmotel.smoke;

/** Bedrock Runtime refuses with the SDK's ValidationException (a 400). */
class BedrockGovernanceSmokeTest extends AbstractSdkGovernanceSmokeTest {
  @Override String appModule() { return "bedrock-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.bedrock.BedrockSmokeApp"; }
  @Override String refused() { return "software.amazon.awssdk.services.bedrockruntime.model.ValidationException"; }
}
