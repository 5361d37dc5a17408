package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A broken policy file and a wrong value: one clear log line each, policies off, the app runs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceBrokenConfigSmokeTest {
  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    Map<String, String> props = new HashMap<>();
    props.put("otel.instrumentation.llm-otel.policy-file", GovernanceFiles.write("broken-policies.json",
        "{\"input_tokens\": {\"mode\": \"enforce\", \"max\": 10,}").toString());
    props.put("otel.instrumentation.llm-otel.rate-limit.mode", "sometimes");
    props.put("otel.instrumentation.llm-otel.prices", "/nonexistent/prices.json");
    run.launch("governance-broken", "newest", System.getProperty("java.home"), props,
        Arrays.asList("gov-big-prompt", "gov-cost"));
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void eachMistakeIsOneLogLineAndTheAppRunsUnrefused() {
    assertEquals(0, run.app.exitCode);
    assertTrue(run.result("gov-big-prompt").startsWith("ok"), "input limit stayed off: " + run.result("gov-big-prompt"));
    assertFalse(run.onlyLlmSpan("gov-big-prompt").hasAttr("llm_otel.policy.name"));
    assertEquals(1, lines("policy file").size(), lines("policy file").toString());
    assertTrue(lines("policy file").get(0).contains("broken-policies.json is invalid"));
    assertEquals(1, lines("invalid value 'sometimes'").size());
    assertEquals(1, lines("price file /nonexistent/prices.json is invalid (no such file)").size());
    // Reported while the agent starts, before the app made any call.
    int firstResult = run.app.output.indexOf("RESULT ");
    assertTrue(run.app.output.indexOf("policy file") < firstResult);
    // The bundled prices still price the call.
    assertTrue(run.onlyLlmSpan("gov-cost").doubleAttr("llm_otel.cost.usd") > 0);
  }

  private List<String> lines(String text) {
    return Arrays.stream(run.app.output.split("\n"))
        .filter(l -> l.contains(" WARN ") && l.contains("llm-otel: ") && l.contains(text))
        .collect(Collectors.toList());
  }
}
