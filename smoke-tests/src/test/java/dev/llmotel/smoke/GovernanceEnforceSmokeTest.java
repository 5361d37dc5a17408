package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every policy in enforce mode, plus prompt versions, workflows and cost, under the real agent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceEnforceSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("gov-cost", "gov-fp-a", "gov-fp-b", "gov-fp-edited",
      "gov-baggage", "gov-rule", "gov-big-prompt", "gov-rate-1", "gov-rate-2", "gov-rate-3", "gov-loop",
      "gov-budget", "gov-async-refused", "gov-async-stream-refused", "gov-slow", "gov-route", "gov-slow-stream", "gov-agent",
      "out-policy-valid", "out-policy-wrong", "out-policy-async-wrong", "out-policy-stream-wrong",
      "out-policy-async-stream-wrong");

  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.llm.script("gov-slow", Behaviour.delay(3000), Behaviour.delay(3000), Behaviour.delay(3000));
    run.llm.script("gov-slow-stream", Behaviour.delay(3000), Behaviour.delay(3000), Behaviour.delay(3000));
    for (String wrong : new String[] {"out-policy-wrong", "out-policy-async-wrong", "out-policy-stream-wrong",
        "out-policy-async-stream-wrong"}) {
      run.llm.script(wrong, Behaviour.answerText(AbstractOpenAiSmokeTest.WRONG_STRUCTURE));
    }
    Map<String, String> props = GovernanceFiles.properties("enforce");
    props.put("otel.logs.exporter", "otlp"); // escalations, and the app's own log of each failed scenario
    run.launch("governance-enforce", "newest", System.getProperty("java.home"), props, SCENARIOS);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    run.assertRanCleanly(SCENARIOS.size());
  }

  /**
   * output_validation in enforce mode: an answer in the wrong structure fails the call with the SDK's
   * own exception for data it cannot use, blocking, async, streamed and async-streamed alike, its
   * message naming the policy and the violation; an answer that fits passes untouched.
   */
  @Test
  void anAnswerInTheWrongStructureFailsTheCallTheSdksWay() {
    String invalidData = "com.openai.errors.OpenAIInvalidDataException";
    assertTrue(run.result("out-policy-valid").startsWith("ok answer={"), run.result("out-policy-valid"));
    OutputChecks out = new OutputChecks(run, false);
    out.assertVerdict("out-policy-valid", "valid", null);
    assertNull(run.onlyLlmSpan("out-policy-valid").attr("llm_otel.policy.name"));

    assertEquals("error " + invalidData, run.result("out-policy-wrong"));
    assertEquals("error " + invalidData, run.result("out-policy-stream-wrong"));
    assertEquals("error java.util.concurrent.ExecutionException", run.result("out-policy-async-wrong"));
    assertEquals("ok handler-error " + invalidData, run.result("out-policy-async-stream-wrong"));
    for (String scenario : new String[] {"out-policy-wrong", "out-policy-async-wrong", "out-policy-stream-wrong",
        "out-policy-async-stream-wrong"}) {
      ReceivedSpan span = out.assertVerdict(scenario, "invalid", "$: required");
      assertEquals("output_validation", span.attr("llm_otel.policy.name"), scenario);
      assertEquals("refused", span.attr("llm_otel.policy.decision"), scenario);
      assertEquals(invalidData, span.attr("error.type"), scenario);
      assertEquals("ERROR", span.statusCode(), scenario);
      out.assertEscalated(scenario, "output_invalid");
      assertEquals(1, run.llm.requests(scenario).size(), "the call itself was made once: " + scenario);
    }
    // The app's own log of the failure (exported by the agent) carries the exception's message.
    String message = "llm-otel policy output_validation rejected this call's answer: the answer is invalid ($: required)";
    assertTrue(run.receiver.logRecords().stream().anyMatch(r -> "scenario out-policy-wrong failed".equals(r.body())
        && String.valueOf(r.attr("exception.message")).contains(message)), "the app logged: " + message);
  }

  @Test
  void costIsTheHandComputedValueFromThePriceFile() {
    ReceivedSpan span = run.onlyLlmSpan("gov-cost");
    long in = span.longAttr("gen_ai.usage.input_tokens");
    long out = span.longAttr("gen_ai.usage.output_tokens");
    double expected = (in * GovernanceFiles.MINI_INPUT + out * GovernanceFiles.MINI_OUTPUT) / 1_000_000d;
    assertEquals(expected, span.doubleAttr("llm_otel.cost.usd"), 1e-12);
    List<ReceivedPoint> cost = run.receiver.latestPoints("llm_otel.cost");
    ReceivedPoint point = cost.stream().filter(p -> "scenario gov-cost".equals(p.attr("llm_otel.workflow")))
        .findFirst().orElseThrow(AssertionError::new);
    assertEquals(expected, point.value(), 1e-12);
    assertEquals("gpt-4o-mini", point.attr("gen_ai.request.model"));
    assertEquals("openai", point.attr("gen_ai.provider.name"));
    assertTrue(run.receiver.latestPoints("gen_ai.client.token.usage").stream()
        .anyMatch(p -> "scenario gov-cost".equals(p.attr("llm_otel.workflow"))), "token usage by workflow");
  }

  @Test
  void fingerprintIgnoresUserMessagesAndEmbeddedIdsButNotAnEditedSystemPrompt() {
    ReceivedSpan a = run.onlyLlmSpan("gov-fp-a");
    ReceivedSpan b = run.onlyLlmSpan("gov-fp-b");
    ReceivedSpan edited = run.onlyLlmSpan("gov-fp-edited");
    assertEquals(16, a.attr("llm_otel.prompt.fingerprint").length());
    assertEquals(a.attr("llm_otel.prompt.fingerprint"), b.attr("llm_otel.prompt.fingerprint"));
    assertNotEquals(a.attr("llm_otel.prompt.fingerprint"), edited.attr("llm_otel.prompt.fingerprint"));
    assertNotEquals(a.attr("llm_otel.request.hash"), b.attr("llm_otel.request.hash"));
    // No prompt text in either hash attribute, and no version declared: the version is the fingerprint.
    assertEquals(a.attr("llm_otel.prompt.fingerprint"), a.attr("llm_otel.prompt.version"));
    // The registry names the edited prompt.
    assertEquals("refunds", edited.attr("llm_otel.prompt.name"));
    assertEquals("3", edited.attr("llm_otel.prompt.version"));
  }

  @Test
  void aCallWithoutSystemPromptOrToolsHasNoFingerprintNoVersionAndNoNewVersionEvent() {
    ReceivedSpan userOnly = run.onlyLlmSpan("gov-big-prompt"); // one user message, nothing else
    assertFalse(userOnly.hasAttr("llm_otel.prompt.fingerprint"), userOnly.toString());
    assertFalse(userOnly.hasAttr("llm_otel.prompt.version"), userOnly.toString());
    assertTrue(userOnly.events("llm_otel.prompt.new_version").isEmpty());
    assertEquals(16, userOnly.attr("llm_otel.request.hash").length());
    assertTrue(run.receiver.spans().stream().flatMap(s -> s.events("llm_otel.prompt.new_version").stream())
        .allMatch(e -> e.attr("llm_otel.prompt.fingerprint") != null), "every new version names its fingerprint");
  }

  @Test
  void newVersionEventOncePerFingerprint() {
    assertEquals(1, run.onlyLlmSpan("gov-fp-a").events("llm_otel.prompt.new_version").size());
    assertEquals(0, run.onlyLlmSpan("gov-fp-b").events("llm_otel.prompt.new_version").size());
    assertEquals(1, run.onlyLlmSpan("gov-fp-edited").events("llm_otel.prompt.new_version").size());
    String fp = run.onlyLlmSpan("gov-fp-a").attr("llm_otel.prompt.fingerprint");
    long events = run.receiver.spans().stream()
        .flatMap(s -> s.events("llm_otel.prompt.new_version").stream())
        .filter(e -> fp.equals(e.attr("llm_otel.prompt.fingerprint"))).count();
    assertEquals(1, events, "one new_version event per fingerprint in the whole process");
  }

  @Test
  void workflowFromBaggageRulesAndTheEntryPoint() {
    ReceivedSpan baggage = run.onlyLlmSpan("gov-baggage");
    assertEquals("checkout", baggage.attr("llm_otel.workflow"));
    assertEquals("42", baggage.attr("llm_otel.prompt.version"), "prompt version from baggage");
    assertEquals("rule-matched", run.onlyLlmSpan("gov-rule").attr("llm_otel.workflow"));
    assertEquals("scenario gov-cost", run.onlyLlmSpan("gov-cost").attr("llm_otel.workflow"));
    // A call made while serving an HTTP request: the route the agent keeps in the context while the request
    // runs, here refined by the handler (as a framework's controller instrumentation does) from the context
    // path to /support/tickets/{id}. The server span gets that http.route only when it ends.
    assertTrue(run.result("gov-route").startsWith("ok http 200"), run.result("gov-route"));
    List<ReceivedSpan> routed = run.llmSpans("gov-route");
    assertEquals(1, routed.size());
    ReceivedSpan server = run.receiver.parent(routed.get(0)).orElseThrow(AssertionError::new);
    assertEquals("SERVER", server.kind());
    assertEquals("/support/tickets/{id}", server.attr("http.route"));
    assertEquals("GET /support/tickets/{id}", server.name());
    assertEquals(server.attr("http.route"), routed.get(0).attr("llm_otel.workflow"));
    // A call within an agent run: the agent's name.
    assertEquals("weather-agent", run.onlyLlmSpan("gov-agent").attr("llm_otel.workflow"));
  }

  @Test
  void inputTokenLimitRefusesWithTheSdksBadRequestAndSendsNothing() {
    assertEquals("error com.openai.errors.BadRequestException", run.result("gov-big-prompt"));
    ReceivedSpan span = run.onlyLlmSpan("gov-big-prompt");
    assertRefused(span, "input_tokens", "com.openai.errors.BadRequestException");
    assertEquals(0, run.llm.requests("gov-big-prompt").size(), "nothing reached the provider");
    // Counted with OpenAI's own tokenizer (o200k for gpt-4o-mini), whose vocabulary loads in the background
    // (never on the app's thread) from the first call under the policy; until it is ready, the documented
    // estimate decides: four characters a token ("user" and the prompt) plus four per message.
    Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    StringBuilder prompt = new StringBuilder();
    for (int i = 0; i < 20_000; i++) prompt.append("lorem ");
    long counted = 3 + 3 + o200k.countTokensOrdinary("user") + o200k.countTokensOrdinary(prompt.toString());
    long estimated = ("user".length() + prompt.length() + 3) / 4 + 4;
    String message = span.attr("llm_otel.policy.message");
    assertTrue(message.equals(counted + " input tokens, more than the limit of 5000")
        || message.equals(estimated + " input tokens, more than the limit of 5000"), message);
  }

  @Test
  void rateLimitRefusesTheThirdCallWithTheSdksRateLimitException() {
    assertTrue(run.result("gov-rate-1").startsWith("ok"));
    assertTrue(run.result("gov-rate-2").startsWith("ok"));
    assertEquals("error com.openai.errors.RateLimitException", run.result("gov-rate-3"));
    assertRefused(run.onlyLlmSpan("gov-rate-3"), "rate_limit", "com.openai.errors.RateLimitException");
    assertEquals(0, run.llm.requests("gov-rate-3").size());
  }

  @Test
  void loopGuardRefusesTheThirdIdenticalRequestInATrace() {
    assertEquals("ok ok,ok,error com.openai.errors.BadRequestException", run.result("gov-loop"));
    List<ReceivedSpan> spans = run.llmSpans("gov-loop");
    assertEquals(3, spans.size());
    assertEquals(spans.get(0).attr("llm_otel.request.hash"), spans.get(2).attr("llm_otel.request.hash"));
    assertRefused(spans.get(2), "loop_guard", "com.openai.errors.BadRequestException");
    assertEquals(2, run.llm.requests("gov-loop").size());
  }

  @Test
  void workflowBudgetRefusesOnceSpentAndAsyncCallsGetAFailedFuture() {
    assertEquals("ok ok,error com.openai.errors.RateLimitException", run.result("gov-budget"));
    List<ReceivedSpan> spans = run.llmSpans("gov-budget");
    assertTrue(spans.get(0).doubleAttr("llm_otel.cost.usd") > 1.0);
    assertRefused(spans.get(1), "cost", "com.openai.errors.RateLimitException");
    assertTrue(spans.get(1).attr("llm_otel.policy.message").contains("workflow budgeted budget of 2.0000 USD per minute"));
    assertEquals(1, run.llm.requests("gov-budget").size());
    assertEquals("error com.openai.errors.RateLimitException", run.result("gov-async-refused"));
    assertRefused(run.onlyLlmSpan("gov-async-refused"), "cost", "com.openai.errors.RateLimitException");
    assertEquals(0, run.llm.requests("gov-async-refused").size());
    // An async stream completes at once with the refusal, through its future and its handler.
    assertEquals("error com.openai.errors.RateLimitException", run.result("gov-async-stream-refused"));
    assertRefused(run.onlyLlmSpan("gov-async-stream-refused"), "cost", "com.openai.errors.RateLimitException");
    assertEquals(0, run.llm.requests("gov-async-stream-refused").size());
  }

  @Test
  void timeoutIsEnforcedThroughTheSdksOwnTimeout() {
    assertTimedOutByTheSdk("gov-slow");
  }

  @Test
  void firstChunkTimeoutIsEnforcedThroughTheSdksReadTimeout() {
    assertTimedOutByTheSdk("gov-slow-stream");
  }

  /** The fake server answers after 3 s, three times; the SDK's own timeout cuts each attempt short. */
  private void assertTimedOutByTheSdk(String scenario) {
    String appSaw = run.result(scenario);
    assertEquals("error com.openai.errors.OpenAIIoException", appSaw, "the SDK's own timeout failure");
    ReceivedSpan span = run.onlyLlmSpan(scenario);
    assertEquals("ERROR", span.statusCode());
    assertEquals("com.openai.errors.OpenAIIoException", span.attr("error.type"));
    assertTrue(span.durationNanos() < 9_000_000_000L, "attempts cut at the policy's ceiling, not 3 s each");
    assertFalse(run.llm.requests(scenario).isEmpty());
  }

  @Test
  void everyDecisionIsCountedInTheMetric() {
    List<ReceivedPoint> points = run.receiver.latestPoints("llm_otel.policy.decisions");
    for (String policy : Arrays.asList("input_tokens", "rate_limit", "loop_guard", "cost")) {
      double count = points.stream().filter(p -> policy.equals(p.attr("llm_otel.policy.name"))
          && "refused".equals(p.attr("llm_otel.policy.decision"))).mapToDouble(ReceivedPoint::value).sum();
      assertTrue(count >= 1, policy + " refusals counted: " + points);
    }
  }

  static void assertRefused(ReceivedSpan span, String policy, String errorType) {
    assertEquals(policy, span.attr("llm_otel.policy.name"));
    assertEquals("refused", span.attr("llm_otel.policy.decision"));
    assertNotNull(span.attr("llm_otel.policy.message"));
    assertEquals("ERROR", span.statusCode());
    assertEquals(errorType, span.attr("error.type"));
    assertTrue(span.events("exception").get(0).attr("exception.message").contains("llm-otel policy " + policy));
  }
}
