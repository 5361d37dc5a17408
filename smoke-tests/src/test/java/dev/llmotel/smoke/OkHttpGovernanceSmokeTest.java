package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The governance policies in enforce mode on a plain OkHttp call: a refused call fails with the
 * IOException OkHttp throws when a call cannot be made, naming the policy, and sends nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OkHttpGovernanceSmokeTest {
  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.launchApp("governance-okhttp", "okhttp-app-5", "dev.llmotel.smoke.okhttp.OkHttpSmokeApp",
        System.getProperty("java.home"), GovernanceFiles.properties("enforce"), List.of("gov-big-prompt", "chat"));
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void anOversizedPromptIsRefusedWithAnIoExceptionAndSendsNothing() {
    run.assertRanCleanly(2);
    String appSaw = run.result("gov-big-prompt");
    assertTrue(appSaw.startsWith("error java.io.IOException llm-otel policy input_tokens refused this call"), appSaw);
    assertEquals(0, run.llm.requests("gov-big-prompt").size(), "nothing reached the provider");
    List<ReceivedSpan> spans = run.receiver.children(run.scenario("gov-big-prompt"));
    assertEquals(1, spans.size());
    GovernanceEnforceSmokeTest.assertRefused(spans.get(0), "input_tokens", "java.io.IOException");
    assertTrue(run.result("chat").startsWith("ok status=200"), "an allowed call goes through: " + run.result("chat"));
  }
}
