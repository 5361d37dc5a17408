package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The governance policies in enforce mode on a provider SDK: a refused call fails with the SDK's
 * own exception for a request the API would reject (what its 400 becomes), naming the policy, and
 * sends nothing; the loop guard refuses the third identical request; an answer in the wrong
 * structure fails with the SDK's own exception for data it cannot use. Subclasses name the SDK's app
 * and those exceptions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSdkGovernanceSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("gov-big-prompt", "gov-loop", "gov-stream-refused",
      "out-policy-valid", "out-policy-wrong", "out-policy-async-wrong", "out-policy-stream-wrong");
  static final List<String> WRONG = Arrays.asList("out-policy-wrong", "out-policy-async-wrong", "out-policy-stream-wrong");

  SmokeRun run;

  abstract String appModule();

  abstract String mainClass();

  /** The SDK's exception for a request the API would reject. */
  abstract String refused();

  /** The SDK's exception for a response whose data it cannot use. */
  abstract String invalidData();

  /** The answer in the wrong structure, for the app's out-policy-* requests: a structured answer's text by default. */
  Behaviour wrongAnswer() {
    return Behaviour.answerText(AbstractOpenAiSmokeTest.WRONG_STRUCTURE);
  }

  /** The first violation of {@link #wrongAnswer()}. */
  String violation() {
    return "$: required";
  }

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    for (String wrong : WRONG) run.llm.script(wrong, wrongAnswer());
    Map<String, String> props = GovernanceFiles.properties("enforce");
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    run.launchApp("governance-" + appModule(), appModule(), mainClass(), System.getProperty("java.home"),
        props, SCENARIOS);
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

  /**
   * output_validation in enforce mode: an answer in the wrong structure fails the call with the SDK's
   * own exception for data it cannot use, blocking and async, its message naming the policy and the
   * violation; the span is in error with that type and the call escalated. An answer that fits
   * passes untouched.
   */
  @Test
  void anAnswerInTheWrongStructureFailsTheCallTheSdksWay() {
    OutputChecks out = new OutputChecks(run, false);
    assertTrue(run.result("out-policy-valid").startsWith("ok "), run.result("out-policy-valid"));
    ReceivedSpan valid = out.assertVerdict("out-policy-valid", "valid", null);
    assertNull(valid.attr("llm_otel.policy.name"), valid.attributes().toString());
    assertEquals("UNSET", valid.statusCode());
    out.assertNotEscalated("out-policy-valid");
    for (String scenario : Arrays.asList("out-policy-wrong", "out-policy-async-wrong")) assertRejected(out, scenario);
  }

  /** The same for a stream read to its end: the app's read of the end fails instead. */
  @Test
  void aStreamedAnswerInTheWrongStructureFailsTheReadOfItsEnd() {
    assertRejected(new OutputChecks(run, false), "out-policy-stream-wrong");
  }

  void assertRejected(OutputChecks out, String scenario) {
    String message = "llm-otel policy output_validation rejected this call's answer: the answer is invalid ("
        + violation() + ")";
    ReceivedSpan span = out.assertVerdict(scenario, "invalid", violation());
    assertEquals("output_validation", span.attr("llm_otel.policy.name"), scenario);
    assertEquals("refused", span.attr("llm_otel.policy.decision"), scenario);
    assertEquals(invalidData(), span.attr("error.type"), scenario);
    assertEquals("ERROR", span.statusCode(), scenario);
    out.assertEscalated(scenario, "output_invalid");
    assertEquals(1, run.llm.requests(scenario).size(), "the call itself was made once: " + scenario);
    // What the app got: the exception the span names, not the answer.
    String appSaw = run.result(scenario);
    assertTrue(appSaw.startsWith("error " + invalidData() + " "), scenario + ": the app got " + appSaw
        + ", the span says " + span.attr("error.type") + " (" + span.statusCode() + ")");
    assertTrue(appSaw.contains(message), scenario + ": " + appSaw);
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
