package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.otlp.ReceivedPoint;
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
 * Limits that stay limits, under the real agent: bursts of 64 threads against a rate limit and a
 * budget, a budget shared by the SDK's copy of llm-otel and the JDK HttpClient's copy (another class
 * loader), remote baggage that must not steer the accounting, a call made from a stream's completion
 * callback, and the policy file changed while the app runs. One launched app runs every scenario.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceHoldsSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("hold-rate-burst", "hold-budget-burst", "hold-callback",
      "hold-shared-budget", "hold-baggage-flood", "hold-reload");

  /** Test prices: gpt-4o-mini at 1 and 2 USD per million tokens, gpt-4o at 0.1 USD a token. */
  static final String POLICIES = "{\n"
      + "  \"rate_limit\": {\"mode\": \"enforce\", \"models\": {\"gpt-4.1-mini\": 10, \"gpt-4.1\": 1}},\n"
      // A burst call is estimated at ~0.002 USD (1000 output tokens at 2 USD per million): nine fit.
      + "  \"cost\": {\"mode\": \"enforce\", \"workflows\": {\"burst\": {\"per_hour_usd\": 0.0195},\n"
      // One gpt-4o call of 10 output tokens is estimated at ~2.5 USD: one fits, then its real spend counts.
      + "     \"shared\": {\"per_hour_usd\": 3.0}}},\n"
      + "  \"workflows\": [\"declared-remote\"]\n"
      + "}\n";

  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    // The burst's admitted calls are still in flight while all 64 are decided: no settlement frees room.
    Behaviour[] slow = new Behaviour[64];
    Arrays.fill(slow, Behaviour.delay(1500));
    run.llm.script("hold-budget-burst", slow);
    Map<String, String> p = GovernanceFiles.properties("enforce");
    p.put("otel.instrumentation.llm-otel.policy-file", GovernanceFiles.write("policies-holds.json", POLICIES).toString());
    p.put("otel.instrumentation.llm-otel.policy-file.poll-ms", "200");
    p.put("otel.instrumentation.llm-otel.workflow.max-values", "5");
    run.launch("governance-holds", "newest", System.getProperty("java.home"), p, SCENARIOS);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    run.assertRanCleanly(SCENARIOS.size());
  }

  @Test
  void sixtyFourThreadsAgainstARateLimitOfTenAdmitTen() {
    assertEquals("ok ok=10 refused=54 other=0", run.result("hold-rate-burst"));
    assertEquals(10, run.llm.requests("hold-rate-burst").size(), "only the admitted calls reached the provider");
    List<ReceivedSpan> spans = run.llmSpans("hold-rate-burst");
    assertEquals(64, spans.size());
    assertEquals(54, spans.stream().filter(s -> "rate_limit".equals(s.attr("llm_otel.policy.name"))
        && "refused".equals(s.attr("llm_otel.policy.decision"))).count());
  }

  @Test
  void sixtyFourThreadsAgainstABudgetOfNineEstimatesAdmitNineAndStayWithinIt() {
    assertEquals("ok ok=9 refused=55 other=0", run.result("hold-budget-burst"));
    List<ReceivedSpan> spans = run.llmSpans("hold-budget-burst");
    double spent = spans.stream().filter(s -> s.doubleAttr("llm_otel.cost.usd") != null)
        .mapToDouble(s -> s.doubleAttr("llm_otel.cost.usd")).sum();
    assertTrue(spent > 0 && spent <= 0.0195, "the workflow spent " + spent + " of its 0.0195 USD");
    ReceivedSpan refused = spans.stream().filter(s -> "cost".equals(s.attr("llm_otel.policy.name"))).findFirst()
        .orElseThrow(AssertionError::new);
    assertTrue(refused.attr("llm_otel.policy.message").contains("workflow burst budget of 0.0195 USD per hour"),
        refused.attr("llm_otel.policy.message"));
  }

  @Test
  void aCallMadeInAStreamsCompletionCallbackGetsItsOwnSpanAndGovernance() {
    assertEquals("ok chained=ok jdk=ok 200", run.result("hold-callback"));
    List<ReceivedSpan> spans = run.llmSpans("hold-callback");
    assertEquals(3, spans.size(), "the streamed call and the two calls chained from its callback: " + spans);
    ReceivedSpan scenario = run.scenario("hold-callback");
    for (ReceivedSpan s : spans) {
      // Governance ran for each: it priced the call.
      assertTrue(s.doubleAttr("llm_otel.cost.usd") > 0, "priced " + s.name() + " " + s.scopeName());
    }
    List<ReceivedSpan> sdk = spans.stream().filter(s -> !s.scopeName().equals("dev.llmotel.java-http-client"))
        .collect(Collectors.toList());
    assertEquals(2, sdk.size(), spans.toString());
    for (ReceivedSpan s : sdk) assertEquals(scenario.spanId(), s.parentSpanId(), "made where the agent step ran");
    // The JDK client's copy of llm-otel (platform class loader) cannot reach the finished call's
    // LlmCall, so it cannot parent its call where that one was made: it goes under the finished span.
    ReceivedSpan jdk = spans.stream().filter(s -> s.scopeName().equals("dev.llmotel.java-http-client"))
        .findFirst().orElseThrow(() -> new AssertionError("no span from the JDK client's layer: " + spans));
    ReceivedSpan streamed = sdk.stream().filter(s -> s.startEpochNanos() < jdk.startEpochNanos())
        .min(java.util.Comparator.comparingLong(ReceivedSpan::startEpochNanos)).orElseThrow(AssertionError::new);
    assertEquals(streamed.spanId(), jdk.parentSpanId(), spans.toString());
    assertEquals(3, run.llm.requests("hold-callback").size());
  }

  @Test
  void anSdkCallAndAJdkHttpClientCallDrawOnOneBudget() {
    assertEquals("ok sdk=ok jdk=error java.io.IOException", run.result("hold-shared-budget"));
    List<ReceivedSpan> spans = run.llmSpans("hold-shared-budget");
    assertEquals(2, spans.size(), spans.toString());
    assertNotEquals(spans.get(0).scopeName(), spans.get(1).scopeName(), "two instrumentations, two class loaders");
    assertNull(spans.get(0).attr("llm_otel.policy.name"));
    assertEquals("cost", spans.get(1).attr("llm_otel.policy.name"));
    assertEquals("refused", spans.get(1).attr("llm_otel.policy.decision"));
    assertTrue(spans.get(1).attr("llm_otel.policy.message").contains("workflow shared budget of 3.0000 USD"),
        spans.get(1).attr("llm_otel.policy.message"));
    assertEquals(1, run.llm.requests("hold-shared-budget").size(), "the refused JDK call sent nothing");
  }

  @Test
  void remoteBaggageCannotChooseAWorkflowButADeclaredOneResolves() {
    assertEquals("ok answered=151", run.result("hold-baggage-flood"));
    // The flood's LLM spans are children of the inbound server spans, each its own trace.
    List<String> servers = run.receiver.spans(s -> "SERVER".equals(s.kind()))
        .stream().map(ReceivedSpan::spanId).collect(Collectors.toList());
    List<ReceivedSpan> flooded = run.receiver.spans(s -> s.hasAttr("gen_ai.operation.name")
        && servers.contains(s.parentSpanId()));
    assertEquals(151, flooded.size());
    Map<String, Long> byWorkflow = flooded.stream().collect(Collectors.groupingBy(
        s -> String.valueOf(s.attr("llm_otel.workflow")), Collectors.counting()));
    assertEquals(Long.valueOf(1), byWorkflow.get("declared-remote"), byWorkflow.toString());
    assertFalse(byWorkflow.keySet().stream().anyMatch(w -> w.startsWith("made-up")), byWorkflow.toString());
    // Not one remote prompt version either: the fingerprint stays the version.
    assertTrue(flooded.stream().noneMatch(s -> String.valueOf(s.attr("llm_otel.prompt.version")).startsWith("evil")));
    double untrusted = run.receiver.latestPoints("llm_otel.workflow.rejected").stream()
        .filter(p -> "untrusted".equals(p.attr("llm_otel.reason"))).mapToDouble(ReceivedPoint::value).sum();
    assertEquals(150, untrusted, 0.0, "every made-up value counted");
  }

  @Test
  void aRaisedLimitInTheChangedPolicyFileHoldsAndABrokenFileChangesNothing() {
    // Limit 1: ok, refused. Raised to 5: ok. A broken file: the limit of 5 stays (calls 4 and 5 of 5 pass).
    assertEquals("ok ok,error com.openai.errors.RateLimitException,ok,ok,ok", run.result("hold-reload"));
    String log = run.app.output;
    assertEquals(1L, occurrences(log, "new version is in force"), "one line for the change");
    assertEquals(1L, occurrences(log, "was not applied"), "one line for the broken file");
  }

  /** Log lines an operator sees (the smoke apps run with the agent's debug log on: its DEBUG lines are not). */
  private static long occurrences(String log, String needle) {
    return Arrays.stream(log.split("\n")).filter(l -> l.contains(needle) && !l.contains(" DEBUG ")).count();
  }
}
