package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
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

  List<String> scenarios() {
    return Arrays.asList("gov-big-prompt", "gov-loop");
  }

  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.launchApp("governance-" + appModule(), appModule(), mainClass(), System.getProperty("java.home"),
        GovernanceFiles.properties("enforce"), scenarios());
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

  @Test
  void theLoopGuardRefusesTheThirdIdenticalRequest() {
    assertEquals("ok ok,ok,error " + refusedType(), run.result("gov-loop"));
    List<ReceivedSpan> chats = chats("gov-loop");
    assertEquals(3, chats.size());
    GovernanceEnforceSmokeTest.assertRefused(chats.get(2), "loop_guard", refusedType());
    assertEquals(2, run.llm.requests("gov-loop").size());
  }
}
