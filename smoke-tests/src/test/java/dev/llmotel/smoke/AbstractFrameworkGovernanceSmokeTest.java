package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The governance policies in enforce mode on an agent framework's calls: a refused call fails with
 * the exception the app gets from that framework for a 400, naming the policy; nothing is sent, and
 * the agent run that made it ends in error the way the app saw it. Subclasses choose the framework
 * and its line; their apps run "gov-big-prompt" through an agent and "gov-loop" on a model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractFrameworkGovernanceSmokeTest {
  abstract String appModule();

  abstract String mainClass();

  /** The agent of "gov-big-prompt". */
  abstract String agentName();

  /** What the framework throws for a 400. */
  abstract String refusedType();

  /** What a blocking call whose answer the output_validation policy rejected fails with. */
  abstract String unusableAnswerType();

  /** What a stream's handler is told of a rejected answer; null where streams are only recorded. */
  abstract String rejectedStreamType();

  List<String> scenarios() {
    return Arrays.asList("gov-big-prompt", "gov-loop", "out-policy-valid", "out-policy-wrong",
        "out-policy-stream-valid", "out-policy-stream-wrong");
  }

  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    AbstractAgentFrameworkSmokeTest.scriptOutputScenarios(run.llm);
    Map<String, String> props = GovernanceFiles.properties("enforce");
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    run.launchApp("governance-" + appModule(), appModule(), mainClass(), System.getProperty("java.home"), props,
        scenarios());
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  List<ReceivedSpan> chats(String scenario) {
    ReceivedSpan root = run.scenario(scenario);
    return run.receiver.spans(s -> s.traceId().equals(root.traceId()) && s.name().startsWith("chat "))
        .stream().sorted((a, b) -> Long.compare(a.startEpochNanos(), b.startEpochNanos())).collect(Collectors.toList());
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    run.assertRanCleanly(scenarios().size());
  }

  @Test
  void anOversizedPromptIsRefusedWithTheFrameworksOwnExceptionAndEndsTheAgentRunInError() {
    String appSaw = run.result("gov-big-prompt");
    assertTrue(appSaw.startsWith("error " + refusedType() + " "), appSaw);
    assertTrue(appSaw.contains("llm-otel policy input_tokens refused this call"), appSaw);
    assertEquals(0, run.llm.requests("gov-big-prompt").size(), "nothing reached the provider");
    List<ReceivedSpan> chats = chats("gov-big-prompt");
    assertEquals(1, chats.size());
    GovernanceEnforceSmokeTest.assertRefused(chats.get(0), "input_tokens", refusedType());
    ReceivedSpan agent = run.receiver.spans(s -> s.name().equals("invoke_agent " + agentName())
        && s.traceId().equals(chats.get(0).traceId())).get(0);
    assertEquals("ERROR", agent.statusCode());
    assertEquals(refusedType(), agent.attr("error.type"));
  }

  /**
   * output_validation in enforce mode: a blocking call answered in the wrong structure fails with
   * the framework's exception for an answer it cannot use, naming the policy and the violation, its
   * span in error with that type and the policy's refusal, the answer escalated; a stream's handler
   * is told the same through onError where the framework fails streams, else the stream is only
   * recorded. Answers that fit pass untouched. The call itself was made once.
   */
  @Test
  void anAnswerInTheWrongStructureFailsTheCallTheFrameworksWay() {
    OutputChecks out = new OutputChecks(run, false);
    // A stream whose completion waited for its answer's review got it from the review, not from the
    // fallback that lets it go after 5 s should the review never come.
    assertTrue(run.scenario("out-policy-stream-valid").durationNanos() < 4_000_000_000L,
        "the valid stream completed when its answer was reviewed");
    for (String valid : List.of("out-policy-valid", "out-policy-stream-valid")) {
      assertTrue(run.result(valid).startsWith("ok answer={"), valid + ": " + run.result(valid));
      ReceivedSpan span = out.assertVerdict(valid, "valid", null);
      out.assertNotEscalated(valid);
      assertNull(span.attr("llm_otel.policy.name"), span.attributes().toString());
      assertEquals("UNSET", span.statusCode(), valid);
    }
    String message = "llm-otel policy output_validation rejected this call's answer: the answer is invalid "
        + "($: required)";
    Map<String, String> failedWith = new java.util.LinkedHashMap<>();
    failedWith.put("out-policy-wrong", unusableAnswerType());
    if (rejectedStreamType() != null) failedWith.put("out-policy-stream-wrong", rejectedStreamType());
    failedWith.forEach((scenario, type) -> {
      String appSaw = run.result(scenario);
      assertTrue(appSaw.startsWith("error " + type + " "), scenario + ": " + appSaw);
      assertTrue(appSaw.contains(message), scenario + ": " + appSaw);
      ReceivedSpan span = out.assertVerdict(scenario, "invalid", "$: required");
      assertEquals("output_validation", span.attr("llm_otel.policy.name"), scenario + ": " + span.attributes());
      assertEquals("refused", span.attr("llm_otel.policy.decision"), scenario + ": " + span.attributes());
      assertEquals("ERROR", span.statusCode(), scenario);
      assertEquals(type, span.attr("error.type"), scenario + ": " + span.attributes());
      out.assertEscalated(scenario, "output_invalid");
      assertEquals(1, run.llm.requests(scenario).size(), "the call itself was made once: " + scenario);
    });
    if (rejectedStreamType() == null) {
      // The answer reached the app as it streamed: recorded, escalated, not failed.
      String scenario = "out-policy-stream-wrong";
      assertEquals("ok answer=" + AbstractAgentFrameworkSmokeTest.WRONG_STRUCTURE, run.result(scenario));
      ReceivedSpan span = out.assertVerdict(scenario, "invalid", "$: required");
      out.assertEscalated(scenario, "output_invalid");
      assertEquals("UNSET", span.statusCode(), scenario + ": " + span.attributes());
      assertNull(span.attr("error.type"), scenario + ": " + span.attributes());
      // The policy saw it (the span names it); a stream's answer is not failed.
      assertEquals("output_validation", span.attr("llm_otel.policy.name"), scenario + ": " + span.attributes());
      assertEquals(1, run.llm.requests(scenario).size());
    }
  }

  @Test
  void theLoopGuardRefusesTheThirdIdenticalRequest() {
    assertEquals("ok ok,ok,error " + refusedType(), run.result("gov-loop"));
    List<ReceivedSpan> chats = chats("gov-loop");
    assertEquals(3, chats.size());
    GovernanceEnforceSmokeTest.assertRefused(chats.get(2), "loop_guard", refusedType());
    assertEquals(2, run.llm.requests("gov-loop").size());
  }
}
