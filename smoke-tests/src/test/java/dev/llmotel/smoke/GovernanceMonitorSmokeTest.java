package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The same policies in monitor mode: every call goes through and the span says what would have happened. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GovernanceMonitorSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("gov-budget", "gov-big-prompt", "gov-rate-1",
      "gov-rate-2", "gov-rate-3", "gov-loop", "gov-slow", "gov-slow-stream", "gov-wf-1", "gov-wf-2", "gov-wf-3", "gov-wf-4",
      "gov-wf-5", "out-policy-wrong");

  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.llm.script("gov-slow", Behaviour.delay(1500));
    run.llm.script("gov-slow-stream", Behaviour.delay(1000));
    run.llm.script("out-policy-wrong", Behaviour.answerText(AbstractOpenAiSmokeTest.WRONG_STRUCTURE));
    Map<String, String> props = GovernanceFiles.properties("monitor");
    props.put("otel.instrumentation.llm-otel.workflow.max-values", "4");
    run.launch("governance-monitor", "newest", System.getProperty("java.home"), props, SCENARIOS);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void everyCallWentThroughAndWasMarkedWouldRefuse() {
    assertEquals(List.of(), run.app.instrumentationErrors());
    assertTrue(run.result("gov-big-prompt").startsWith("ok"));
    assertWouldRefuse(run.onlyLlmSpan("gov-big-prompt"), "input_tokens");
    assertEquals(1, run.llm.requests("gov-big-prompt").size());

    assertTrue(run.result("gov-rate-3").startsWith("ok"));
    assertWouldRefuse(run.onlyLlmSpan("gov-rate-3"), "rate_limit");

    assertEquals("ok ok,ok,ok", run.result("gov-loop"));
    assertWouldRefuse(run.llmSpans("gov-loop").get(2), "loop_guard");
    assertEquals(3, run.llm.requests("gov-loop").size());

    assertEquals("ok ok,ok", run.result("gov-budget"));
    assertWouldRefuse(run.llmSpans("gov-budget").get(1), "cost");

    assertTrue(run.result("gov-slow").startsWith("ok"));
    assertWouldRefuse(run.onlyLlmSpan("gov-slow"), "timeout");

    // An answer in the wrong structure reaches the app; the span says what enforce would have done.
    assertEquals("ok answer=" + AbstractOpenAiSmokeTest.WRONG_STRUCTURE, run.result("out-policy-wrong"));
    assertWouldRefuse(run.onlyLlmSpan("out-policy-wrong"), "output_validation");
    assertEquals("invalid", run.onlyLlmSpan("out-policy-wrong").attr("llm_otel.output.validation"));

    assertTrue(run.result("gov-slow-stream").startsWith("ok chunks="));
    ReceivedSpan slowStream = run.onlyLlmSpan("gov-slow-stream");
    assertWouldRefuse(slowStream, "timeout");
    assertTrue(slowStream.attr("llm_otel.policy.message").contains("first chunk after"),
        slowStream.attr("llm_otel.policy.message"));
  }

  @Test
  void workflowValuesAreBoundedWithAnOverflowValue() {
    List<ReceivedSpan> llm = run.receiver.spans(s -> s.hasAttr("gen_ai.operation.name"));
    Set<String> named = llm.stream().map(s -> s.attr("llm_otel.workflow"))
        .filter(w -> !"_OTHER".equals(w)).collect(Collectors.toSet());
    // The cap (4) holds for undeclared values; the policy file's "budgeted" is declared and never displaced.
    assertTrue(named.remove("budgeted"), named.toString());
    assertEquals(4, named.size(), named.toString());
    assertEquals("_OTHER", run.onlyLlmSpan("gov-wf-5").attr("llm_otel.workflow"));
    Set<String> inMetrics = run.receiver.latestPoints("gen_ai.client.operation.duration").stream()
        .map(p -> p.attr("llm_otel.workflow")).collect(Collectors.toSet());
    assertTrue(inMetrics.size() <= 6, "metric workflow values stay bounded: " + inMetrics);
    double overflow = run.receiver.latestPoints("llm_otel.workflow.rejected").stream()
        .filter(p -> "overflow".equals(p.attr("llm_otel.reason"))).mapToDouble(p -> p.value()).sum();
    assertTrue(overflow >= 1, "values past the cap are counted");
  }

  static void assertWouldRefuse(ReceivedSpan span, String policy) {
    assertEquals(policy, span.attr("llm_otel.policy.name"), span.toString());
    assertEquals("would_refuse", span.attr("llm_otel.policy.decision"));
    assertEquals("UNSET", span.statusCode());
  }
}
