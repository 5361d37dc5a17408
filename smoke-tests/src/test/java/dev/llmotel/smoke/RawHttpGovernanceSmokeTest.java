package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The governance policies in enforce mode on plain HTTP clients: a refused call fails with the
 * IOException the client throws when a call cannot be made, naming the policy, and sends nothing;
 * an allowed call in the same app goes through.
 */
class RawHttpGovernanceSmokeTest {
  @ParameterizedTest
  @CsvSource({
      "okhttp-app-5, dev.llmotel.smoke.okhttp.OkHttpSmokeApp",
      "java-http-client-app, dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
      "apache-httpclient-5-app-newest, dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp"})
  void anOversizedPromptIsRefusedWithAnIoExceptionAndSendsNothing(String appModule, String mainClass) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      run.launchApp("governance-" + appModule, appModule, mainClass, System.getProperty("java.home"),
          GovernanceFiles.properties("enforce"), List.of("gov-big-prompt", "chat"));
      run.assertRanCleanly(2);
      String appSaw = run.result("gov-big-prompt");
      assertTrue(appSaw.startsWith("error java.io.IOException llm-otel policy input_tokens refused this call"), appSaw);
      assertEquals(0, run.llm.requests("gov-big-prompt").size(), "nothing reached the provider");
      List<ReceivedSpan> spans = run.receiver.children(run.scenario("gov-big-prompt"));
      assertEquals(1, spans.size(), spans.toString());
      GovernanceEnforceSmokeTest.assertRefused(spans.get(0), "input_tokens", "java.io.IOException");
      assertTrue(run.result("chat").startsWith("ok status=200"), "an allowed call goes through: " + run.result("chat"));
    }
  }
}
