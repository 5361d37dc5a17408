package dev.llmotel.smoke;

import dev.llmotel.testkit.fakellm.Behaviour;

/**
 * Bedrock Runtime refuses with the SDK's ValidationException (a 400); an answer it cannot use fails
 * with its SdkClientException. Converse's answers are checked against a tool's inputSchema.
 */
class BedrockGovernanceSmokeTest extends AbstractSdkGovernanceSmokeTest {
  @Override String appModule() { return "bedrock-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.bedrock.BedrockSmokeApp"; }
  @Override String refused() { return "software.amazon.awssdk.services.bedrockruntime.model.ValidationException"; }
  @Override String invalidData() { return "software.amazon.awssdk.core.exception.SdkClientException"; }
  @Override Behaviour wrongAnswer() { return Behaviour.toolArguments(AbstractOpenAiSmokeTest.WRONG_STRUCTURE); }
  @Override String violation() { return "tool get_weather: $: required"; }
}
