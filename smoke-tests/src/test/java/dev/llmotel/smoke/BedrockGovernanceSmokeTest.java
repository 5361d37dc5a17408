package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The governance policies in enforce mode on the AWS SDK's Bedrock Runtime client: a refused call fails with the
 * SDK's own ValidationException (what the API's 400 becomes), naming the policy, and sends nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BedrockGovernanceSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("gov-big-prompt", "gov-loop", "gov-stream-refused");
  static final String REFUSED = "software.amazon.awssdk.services.bedrockruntime.model.ValidationException";

  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.launchApp("governance-bedrock", "bedrock-app-newest",
        "dev.llmotel.smoke.bedrock.BedrockSmokeApp", System.getProperty("java.home"),
        GovernanceFiles.properties("enforce"), SCENARIOS);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  List<ReceivedSpan> calls(String scenario) {
    return run.receiver.children(run.scenario(scenario)).stream()
        .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).collect(Collectors.toList());
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    run.assertRanCleanly(SCENARIOS.size());
  }

  @Test
  void anOversizedPromptIsRefusedWithTheSdksValidationExceptionAndSendsNothing() {
    for (String scenario : Arrays.asList("gov-big-prompt", "gov-stream-refused")) {
      String appSaw = run.result(scenario);
      assertTrue(appSaw.startsWith("error " + REFUSED + " "), appSaw);
      assertTrue(appSaw.contains("llm-otel policy input_tokens refused this call"), appSaw);
      assertEquals(0, run.llm.requests(scenario).size(), "nothing reached the provider");
      GovernanceEnforceSmokeTest.assertRefused(calls(scenario).get(0), "input_tokens", REFUSED);
    }
  }

  @Test
  void theLoopGuardRefusesTheThirdIdenticalRequest() {
    assertEquals("ok ok,ok,error " + REFUSED, run.result("gov-loop"));
    List<ReceivedSpan> calls = calls("gov-loop");
    assertEquals(3, calls.size());
    GovernanceEnforceSmokeTest.assertRefused(calls.get(2), "loop_guard", REFUSED);
    assertEquals(2, run.llm.requests("gov-loop").size());
  }
}
