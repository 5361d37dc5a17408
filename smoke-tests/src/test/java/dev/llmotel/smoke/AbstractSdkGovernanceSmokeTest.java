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
 * The governance policies in enforce mode on a provider SDK: a refused call fails with the SDK's
 * own exception for a request the API would reject (what its 400 becomes), naming the policy, and
 * sends nothing; the loop guard refuses the third identical request. Subclasses name the SDK's app
 * and that exception.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSdkGovernanceSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("gov-big-prompt", "gov-loop", "gov-stream-refused");

  SmokeRun run;

  abstract String appModule();

  abstract String mainClass();

  /** The SDK's exception for a request the API would reject. */
  abstract String refused();

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.launchApp("governance-" + appModule(), appModule(), mainClass(), System.getProperty("java.home"),
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
  void anOversizedPromptIsRefusedWithTheSdksOwnExceptionAndSendsNothing() {
    for (String scenario : Arrays.asList("gov-big-prompt", "gov-stream-refused")) {
      String appSaw = run.result(scenario);
      assertTrue(appSaw.startsWith("error " + refused() + " "), appSaw);
      assertTrue(appSaw.contains("llm-otel policy input_tokens refused this call"), appSaw);
      assertEquals(0, run.llm.requests(scenario).size(), "nothing reached the provider");
      GovernanceEnforceSmokeTest.assertRefused(calls(scenario).get(0), "input_tokens", refused());
    }
  }

  @Test
  void theLoopGuardRefusesTheThirdIdenticalRequest() {
    assertEquals("ok ok,ok,error " + refused(), run.result("gov-loop"));
    List<ReceivedSpan> calls = calls("gov-loop");
    assertEquals(3, calls.size());
    GovernanceEnforceSmokeTest.assertRefused(calls.get(2), "loop_guard", refused());
    assertEquals(2, run.llm.requests("gov-loop").size());
  }
}
