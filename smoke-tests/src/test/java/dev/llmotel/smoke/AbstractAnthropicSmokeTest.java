package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.fakellm.ServedUsage;
import dev.llmotel.testkit.otlp.ReceivedEvent;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Anthropic Java SDK under the real agent: one chat span per Messages call, blocking, async and
 * streamed, with usage and cost exact against the fake server's numbers (prompt caching included),
 * tool use, the SDK's retries, and no span of the SDK's own. Subclasses choose the SDK release, the
 * JVM and whether content is captured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAnthropicSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("chat", "chat-async", "chat-stream", "chat-stream-async",
      "chat-stream-closed-early", "tool-use", "cached", "chat-retried", "out-valid", "out-wrong", "out-not-json",
      "out-truncated", "out-refusal", "out-tool-valid", "out-tool-wrong", "out-stream-wrong", "out-stream-tool-wrong");
  /** An answer in the wrong structure: the schema wants city and population, the tool a city. */
  static final String WRONG_STRUCTURE = AbstractOpenAiSmokeTest.WRONG_STRUCTURE;
  static final String SCOPE = "dev.llmotel.anthropic-java";
  static final String MODEL = "claude-sonnet-4-20250514";
  /** claude-sonnet-4 in the bundled price table, USD per million tokens. */
  static final double INPUT = 3.00;
  static final double OUTPUT = 15.00;
  static final double CACHE_READ = 0.30;
  static final double CACHE_WRITE = 3.75;

  SmokeRun run;

  abstract String release();

  abstract String javaHome();

  abstract boolean captureContent();

  @BeforeAll
  void runApp() throws Exception {
    run = new SmokeRun();
    run.llm.script("chat-retried", Behaviour.error(429, "0"));
    run.llm.script("out-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    run.llm.script("out-not-json", Behaviour.answerText("The capital of France is Paris."));
    run.llm.script("out-truncated", Behaviour.cutAtTokenLimit());
    run.llm.script("out-refusal", Behaviour.refusal());
    run.llm.script("out-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    run.llm.script("out-stream-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    run.llm.script("out-stream-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    Map<String, String> props = new HashMap<>();
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    props.put("otel.instrumentation.genai.capture-message-content", String.valueOf(captureContent()));
    run.launchApp("anthropic-" + release() + (captureContent() ? "-capture" : ""), "anthropic-app-" + release(),
        "dev.llmotel.smoke.anthropic.AnthropicSmokeApp", javaHome(), props, SCENARIOS);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  List<ReceivedSpan> chats(String scenario) {
    return run.receiver.children(run.scenario(scenario)).stream()
        .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).collect(Collectors.toList());
  }

  ReceivedSpan onlyChat(String scenario) {
    List<ReceivedSpan> spans = chats(scenario);
    assertEquals(1, spans.size(), scenario + ": " + spans);
    ReceivedSpan span = spans.get(0);
    assertEquals("chat " + MODEL, span.name());
    assertEquals("CLIENT", span.kind());
    assertEquals(SCOPE, span.scopeName());
    assertEquals("anthropic", span.attr("gen_ai.provider.name"));
    assertEquals("chat", span.attr("gen_ai.operation.name"));
    assertEquals(MODEL, span.attr("gen_ai.request.model"));
    if (release().equals("newest")) {
      assertEquals("127.0.0.1", span.attr("server.address"));
    } else {
      // SDK 1.0 keeps the base URL inside its HTTP client: the agent's HTTP span under ours has it.
      assertNull(span.attr("server.address"));
    }
    return span;
  }

  static double cost(long input, long output, long cacheRead, long cacheWrite) {
    return ((input - cacheRead - cacheWrite) * INPUT + output * OUTPUT + cacheRead * CACHE_READ
        + cacheWrite * CACHE_WRITE) / 1_000_000d;
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    run.assertRanCleanly(SCENARIOS.size());
    for (String s : SCENARIOS) assertTrue(run.result(s).startsWith("ok "), s + ": " + run.result(s));
  }

  @Test
  void aMessageIsOneChatSpanWithTheFakeServersExactUsageAndCost() {
    ReceivedSpan span = onlyChat("chat");
    assertEquals("UNSET", span.statusCode());
    assertTrue(span.attr("gen_ai.response.id").startsWith("msg_fake_"));
    assertEquals(MODEL, span.attr("gen_ai.response.model"));
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertEquals(256L, span.longAttr("gen_ai.request.max_tokens"));
    // The fake server: 4 + 2 words of "Say hello"; answer "Fake answer to: Say hello", 5 words.
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals(cost(6, 5, 0, 0), span.doubleAttr("llm_otel.cost.usd"), 1e-12);
    assertEquals(0L, span.longAttr("llm_otel.retry.count"));
    // The agent's own OkHttp span of the request, under ours; no span of the SDK's own tracing.
    assertEquals(1, run.receiver.children(span).size());
    assertTrue(run.receiver.spans(s -> s.scopeName().startsWith("com.anthropic")).isEmpty(),
        "the SDK's own spans are switched off");
  }

  @Test
  void anAsyncMessageEndsWithItsFuture() {
    ReceivedSpan span = onlyChat("chat-async");
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertEquals(1, run.receiver.children(span).size());
  }

  void assertStreamed(String scenario) {
    ReceivedSpan span = onlyChat(scenario);
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    String appSaw = run.result(scenario);
    long events = Long.parseLong(appSaw.substring("ok events=".length(), appSaw.indexOf(' ', "ok events=".length())));
    assertEquals(events, span.longAttr("llm_otel.stream.chunks"), "every event the app read counted once");
    // Usage from message_start (input) and message_delta (output, final: message_start's placeholder 1
    // does not stay): the server's numbers for this request, 4 + 5 words in, 8 words out.
    run.assertServedUsage(scenario, span);
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertTrue(span.attr("gen_ai.response.id").startsWith("msg_fake_"));
    assertNotNull(span.doubleAttr("gen_ai.response.time_to_first_chunk"));
    assertNull(span.attr("llm_otel.stream.end"));
    assertTrue(appSaw.endsWith("text=Fake answer to: Tell me a short story"), appSaw);
  }

  @Test
  void aStreamReadToTheEndHasItsUsageFromTheEvents() {
    assertStreamed("chat-stream");
  }

  @Test
  void anAsyncStreamEndsWhenItCompletes() {
    assertStreamed("chat-stream-async");
  }

  @Test
  void aStreamClosedEarlyEndsThenAndSaysSo() {
    ReceivedSpan span = onlyChat("chat-stream-closed-early");
    assertEquals("closed_early", span.attr("llm_otel.stream.end"));
    assertEquals(3L, span.longAttr("llm_otel.stream.chunks"));
    assertEquals("UNSET", span.statusCode());
    // message_start came before the close: its input count is the server's for this request.
    assertEquals(run.servedUsage("chat-stream-closed-early").input(), span.longAttr("gen_ai.usage.input_tokens"),
        span.attributes().toString());
    // Its output count never came (message_start's output_tokens is a placeholder): estimated, and said so.
    assertEquals(Boolean.TRUE, span.attributes().get("llm_otel.usage.estimated"), span.attributes().toString());
    Long output = span.longAttr("gen_ai.usage.output_tokens");
    assertTrue(output != null && output >= 1 && output < run.servedUsage("chat-stream-closed-early").output(),
        span.attributes().toString());
  }

  @Test
  void toolUseIsRecordedLikeAnyToolCall() {
    List<ReceivedSpan> spans = chats("tool-use");
    assertEquals(2, spans.size(), spans.toString());
    assertEquals("tool_use", spans.get(0).attr("gen_ai.response.finish_reasons"));
    assertEquals("end_turn", spans.get(1).attr("gen_ai.response.finish_reasons"));
    List<RecordedRequest> sent = run.llm.requests("tool-use");
    assertEquals(2, sent.size(), sent.toString());
    for (int i = 0; i < 2; i++) SmokeRun.assertServedUsage(ServedUsage.of(sent.get(i)), spans.get(i), "tool-use call " + i);
    String appSaw = run.result("tool-use");
    String toolId = appSaw.substring("ok tool=".length(), appSaw.indexOf(' ', "ok tool=".length()));
    assertTrue(toolId.startsWith("toolu_fake_"), appSaw);
    if (captureContent()) {
      assertTrue(spans.get(0).attr("gen_ai.output.messages").contains(toolId), spans.get(0).attr("gen_ai.output.messages"));
      assertTrue(spans.get(0).attr("gen_ai.output.messages").contains("get_weather"));
      String input = spans.get(1).attr("gen_ai.input.messages");
      assertTrue(input.contains("tool_call_response") && input.contains(toolId), input);
      assertTrue(spans.get(0).attr("gen_ai.tool.definitions").contains("get_weather"));
    } else {
      assertNull(spans.get(0).attr("gen_ai.output.messages"));
      assertNull(spans.get(1).attr("gen_ai.input.messages"));
    }
  }

  @Test
  void promptCachingIsReportedAndPricedAtItsOwnRates() {
    List<ReceivedSpan> spans = chats("cached");
    assertEquals(2, spans.size(), spans.toString());
    ReceivedSpan write = spans.get(0);
    ReceivedSpan read = spans.get(1);
    List<RecordedRequest> sent = run.llm.requests("cached");
    assertEquals(2, sent.size(), sent.toString());
    SmokeRun.assertServedUsage(ServedUsage.of(sent.get(0)), write, "cache write");
    SmokeRun.assertServedUsage(ServedUsage.of(sent.get(1)), read, "cache read");
    long cached = write.longAttr("gen_ai.usage.cache_write.input_tokens");
    assertTrue(cached > 100, "the system prompt's words: " + cached);
    assertEquals(0L, write.longAttr("gen_ai.usage.cache_read.input_tokens"));
    assertEquals(cached, read.longAttr("gen_ai.usage.cache_read.input_tokens"));
    assertEquals(0L, read.longAttr("gen_ai.usage.cache_write.input_tokens"));
    // gen_ai.usage.input_tokens includes the cached tokens (the semconv rule): the fake server counts
    // the whole prompt, system included, and reports the cached part apart, as the API does.
    long writeInput = write.longAttr("gen_ai.usage.input_tokens");
    assertTrue(writeInput > cached, "input includes the cache write");
    assertEquals(cost(writeInput, write.longAttr("gen_ai.usage.output_tokens"), 0, cached),
        write.doubleAttr("llm_otel.cost.usd"), 1e-12);
    long readInput = read.longAttr("gen_ai.usage.input_tokens");
    assertEquals(cost(readInput, read.longAttr("gen_ai.usage.output_tokens"), cached, 0),
        read.doubleAttr("llm_otel.cost.usd"), 1e-12);
  }

  @Test
  void aRetried429IsOneSpanWithTheFailedAttemptAsAnEvent() {
    ReceivedSpan span = onlyChat("chat-retried");
    assertEquals("UNSET", span.statusCode());
    assertEquals(1L, span.longAttr("llm_otel.retry.count"));
    List<ReceivedEvent> failed = span.events("llm_otel.attempt.failed");
    assertEquals(1, failed.size());
    assertEquals(429L, failed.get(0).longAttr("http.response.status_code"));
    assertEquals("0", failed.get(0).attr("llm_otel.retry_after"));
    assertTrue(failed.get(0).attr("llm_otel.provider.request_id").startsWith("req_"));
    assertEquals(2, run.receiver.children(span).size(), "each attempt's HTTP span under the one chat span");
    assertEquals(2, run.llm.requests("chat-retried").size());
    run.assertServedUsage("chat-retried", span);
  }

  /**
   * Structured outputs (output_config.format on 3.x, the beta's output_format as a body property on
   * 1.0) and tool inputs are checked against their schemas, blocking and streamed; the policy is
   * off, so the app gets every answer as the SDK returned it.
   */
  @Test
  void structuredAnswersAndToolInputsAreMarkedValidOrNotAndUnusableOnesEscalated() {
    OutputChecks out = new OutputChecks(run, captureContent());
    ReceivedSpan valid = out.assertUsable("out-valid");
    assertEquals("json", valid.attr("gen_ai.output.type"));
    assertTrue(run.result("out-valid").startsWith("ok stop=end_turn answer={"), run.result("out-valid"));
    out.assertUsable("out-tool-valid");
    assertTrue(run.result("out-tool-valid").startsWith("ok stop=tool_use tools=get_weather"), run.result("out-tool-valid"));

    assertEquals("ok stop=end_turn answer=" + WRONG_STRUCTURE, run.result("out-wrong"));
    out.assertUnusable("out-wrong", "invalid", "$: required");
    out.assertUnusable("out-not-json", "not_json", "$: not JSON");
    // The tool's input misses the city its input_schema requires.
    out.assertUnusable("out-tool-wrong", "invalid", "tool get_weather: $: required");
    // Streamed: the text deltas, and the tool input's input_json_delta fragments, put together.
    assertEquals("ok answer=" + WRONG_STRUCTURE, run.result("out-stream-wrong"));
    out.assertUnusable("out-stream-wrong", "invalid", "$: required");
    assertEquals("ok input=" + WRONG_STRUCTURE, run.result("out-stream-tool-wrong"));
    out.assertUnusable("out-stream-tool-wrong", "invalid", "tool get_weather: $: required");
  }

  @Test
  void truncatedAndRefusedAnswersAreEscalatedWithTheirReason() {
    OutputChecks out = new OutputChecks(run, captureContent());
    ReceivedSpan cut = out.assertVerdict("out-truncated", "not_json", "$: not JSON");
    assertEquals("max_tokens", cut.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-truncated", "truncated");
    ReceivedSpan refused = run.onlyLlmSpan("out-refusal");
    assertEquals("refusal", refused.attr("gen_ai.response.finish_reasons"));
    assertTrue(run.result("out-refusal").startsWith("ok stop=refusal answer="), run.result("out-refusal"));
    out.assertEscalated("out-refusal", "refusal");
    // An answer to a request that declared nothing is not checked, and not escalated.
    out.assertNotChecked("chat");
    out.assertNotEscalated("chat");
  }

  /**
   * A refusal (stop_reason refusal, its text the model's apology) is not an answer in the wrong
   * structure: as for OpenAI's refusals, no check runs, so none is counted and enforce does not turn
   * the refusal into the SDK's invalid-data exception.
   */
  @Test
  void aRefusalIsNotCheckedAgainstTheDeclaredStructure() {
    new OutputChecks(run, captureContent()).assertNotChecked("out-refusal");
  }

  @Test
  void contentIsCapturedOnlyWhenSwitchedOnAndTheKeyNeverIs() {
    ReceivedSpan span = onlyChat("chat");
    if (captureContent()) {
      assertTrue(span.attr("gen_ai.input.messages").contains("Say hello"));
      assertTrue(span.attr("gen_ai.output.messages").contains("Fake answer to: Say hello"));
    } else {
      assertNull(span.attr("gen_ai.input.messages"));
      assertNull(span.attr("gen_ai.output.messages"));
    }
    for (ReceivedSpan s : run.receiver.spans(x -> true)) {
      assertTrue(s.attributes().values().stream().noneMatch(v -> String.valueOf(v).contains("sk-ant-smoke")),
          s.name() + " " + s.attributes());
    }
  }
}
