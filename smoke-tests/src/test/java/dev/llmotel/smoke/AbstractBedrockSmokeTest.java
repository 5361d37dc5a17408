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
 * The AWS SDK's Bedrock Runtime client under the real agent: one chat span per Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream call (the agent's own Bedrock span
 * of the same call is not made), blocking, async and streamed, with usage and cost exact against the
 * fake server's numbers (prompt caching included), tool use and the SDK's retries. Subclasses choose
 * the SDK release, the JVM and whether content is captured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractBedrockSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("converse", "converse-async", "converse-stream",
      "converse-stream-cancelled", "tool-use", "cached", "invoke", "invoke-embed", "invoke-stream", "converse-retried",
      "out-tool-valid", "out-tool-wrong", "out-structured-wrong", "out-structured-prose", "out-truncated", "out-refusal", "out-stream-tool-wrong",
      "out-invoke-wrong");
  /** An answer in the wrong structure: the tool wants a city, the schema city and population. */
  static final String WRONG_STRUCTURE = AbstractOpenAiSmokeTest.WRONG_STRUCTURE;
  static final String SCOPE = "dev.llmotel.aws-bedrock";
  static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  /** anthropic.claude-3-haiku on Bedrock in the bundled price table, USD per million tokens. */
  static final double INPUT = 0.25;
  static final double OUTPUT = 1.25;
  static final double CACHE_READ = 0.03;
  static final double CACHE_WRITE = 0.30;

  SmokeRun run;

  abstract String release();

  abstract String javaHome();

  abstract boolean captureContent();

  @BeforeAll
  void runApp() throws Exception {
    run = new SmokeRun();
    run.llm.script("converse-retried", Behaviour.error(429));
    run.llm.script("out-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    run.llm.script("out-structured-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    run.llm.script("out-structured-prose", Behaviour.answerText("The capital of France is Paris."));
    run.llm.script("out-truncated", Behaviour.cutAtTokenLimit());
    run.llm.script("out-refusal", Behaviour.refusal());
    run.llm.script("out-stream-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    run.llm.script("out-invoke-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    Map<String, String> props = new HashMap<>();
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    props.put("otel.instrumentation.genai.capture-message-content", String.valueOf(captureContent()));
    run.launchApp("bedrock-" + release() + (captureContent() ? "-capture" : ""), "bedrock-app-" + release(),
        "dev.llmotel.smoke.bedrock.BedrockSmokeApp", javaHome(), props, SCENARIOS);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  List<ReceivedSpan> calls(String scenario) {
    return run.receiver.children(run.scenario(scenario)).stream()
        .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).collect(Collectors.toList());
  }

  ReceivedSpan onlyCall(String scenario) {
    List<ReceivedSpan> spans = calls(scenario);
    assertEquals(1, spans.size(), scenario + ": " + spans);
    ReceivedSpan span = spans.get(0);
    assertEquals(SCOPE, span.scopeName());
    assertEquals("CLIENT", span.kind());
    assertEquals("aws.bedrock", span.attr("gen_ai.provider.name"));
    assertEquals("127.0.0.1", span.attr("server.address"));
    assertTrue(run.receiver.children(span).isEmpty(),
        "the agent's own AWS SDK span of the call is not made: " + run.receiver.children(span));
    return span;
  }

  ReceivedSpan onlyChat(String scenario) {
    ReceivedSpan span = onlyCall(scenario);
    assertEquals("chat " + MODEL, span.name());
    assertEquals("chat", span.attr("gen_ai.operation.name"));
    assertEquals(MODEL, span.attr("gen_ai.request.model"));
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
    assertTrue(run.receiver.spans(s -> s.scopeName().startsWith("io.opentelemetry.aws-sdk")).isEmpty(),
        "no span of the agent's AWS SDK instrumentation for a Bedrock call");
  }

  @Test
  void aConverseCallIsOneChatSpanWithTheFakeServersExactUsageAndCost() {
    ReceivedSpan span = onlyChat("converse");
    assertEquals("UNSET", span.statusCode());
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertEquals(256L, span.longAttr("gen_ai.request.max_tokens"));
    assertEquals(0.5, span.doubleAttr("gen_ai.request.temperature"), 1e-9);
    // The fake server: 4 + 2 words of "Say hello"; answer "Fake answer to: Say hello", 5 words.
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals(cost(6, 5, 0, 0), span.doubleAttr("llm_otel.cost.usd"), 1e-12);
    assertEquals(0L, span.longAttr("llm_otel.retry.count"));
  }

  @Test
  void anAsyncConverseEndsWithItsFuture() {
    ReceivedSpan span = onlyChat("converse-async");
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
  }

  @Test
  void aConverseStreamHasItsUsageFromTheMetadataEvent() {
    ReceivedSpan span = onlyChat("converse-stream");
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    String appSaw = run.result("converse-stream");
    long events = Long.parseLong(appSaw.substring("ok events=".length(), appSaw.indexOf(' ', "ok events=".length())));
    assertEquals(events, span.longAttr("llm_otel.stream.chunks"), "every event the app got counted once");
    // The metadata event's usage, the server's numbers for this request: 4 + 5 words in, 8 words out.
    run.assertServedUsage("converse-stream", span);
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertNotNull(span.doubleAttr("gen_ai.response.time_to_first_chunk"));
    assertNull(span.attr("llm_otel.stream.end"));
    assertTrue(appSaw.endsWith("text=Fake answer to: Tell me a short story"), appSaw);
    if (captureContent()) {
      assertTrue(span.attr("gen_ai.output.messages").contains("Fake answer to: Tell me a short story"));
    }
  }

  @Test
  void aCancelledStreamEndsThenAndSaysSo() {
    ReceivedSpan span = onlyChat("converse-stream-cancelled");
    assertEquals("ok events=2", run.result("converse-stream-cancelled"));
    assertEquals("closed_early", span.attr("llm_otel.stream.end"));
    assertEquals(2L, span.longAttr("llm_otel.stream.chunks"));
    assertEquals("UNSET", span.statusCode());
  }

  @Test
  void toolUseIsRecordedLikeAnyToolCall() {
    List<ReceivedSpan> spans = calls("tool-use");
    assertEquals(2, spans.size(), spans.toString());
    assertEquals("tool_use", spans.get(0).attr("gen_ai.response.finish_reasons"));
    assertEquals("end_turn", spans.get(1).attr("gen_ai.response.finish_reasons"));
    List<RecordedRequest> sent = run.llm.requests("tool-use");
    assertEquals(2, sent.size(), sent.toString());
    for (int i = 0; i < 2; i++) SmokeRun.assertServedUsage(ServedUsage.of(sent.get(i)), spans.get(i), "tool-use call " + i);
    String appSaw = run.result("tool-use");
    String toolId = appSaw.substring("ok tool=".length(), appSaw.indexOf(' ', "ok tool=".length()));
    assertTrue(toolId.startsWith("tooluse_fake_"), appSaw);
    if (captureContent()) {
      assertTrue(spans.get(0).attr("gen_ai.output.messages").contains(toolId));
      assertTrue(spans.get(0).attr("gen_ai.tool.definitions").contains("get_weather"));
      String input = spans.get(1).attr("gen_ai.input.messages");
      assertTrue(input.contains("tool_call_response") && input.contains(toolId), input);
    } else {
      assertNull(spans.get(0).attr("gen_ai.output.messages"));
      assertNull(spans.get(1).attr("gen_ai.input.messages"));
    }
  }

  @Test
  void promptCachingIsReportedAndPricedAtItsOwnRates() {
    List<ReceivedSpan> spans = calls("cached");
    assertEquals(2, spans.size(), spans.toString());
    ReceivedSpan write = spans.get(0);
    ReceivedSpan read = spans.get(1);
    List<RecordedRequest> sent = run.llm.requests("cached");
    assertEquals(2, sent.size(), sent.toString());
    SmokeRun.assertServedUsage(ServedUsage.of(sent.get(0)), write, "cache write");
    SmokeRun.assertServedUsage(ServedUsage.of(sent.get(1)), read, "cache read");
    long cached = write.longAttr("gen_ai.usage.cache_write.input_tokens");
    assertTrue(cached > 100, "the system prompt's words: " + cached);
    assertEquals(cached, read.longAttr("gen_ai.usage.cache_read.input_tokens"));
    long writeInput = write.longAttr("gen_ai.usage.input_tokens");
    assertTrue(writeInput > cached, "input includes the cache write");
    assertEquals(cost(writeInput, write.longAttr("gen_ai.usage.output_tokens"), 0, cached),
        write.doubleAttr("llm_otel.cost.usd"), 1e-12);
    long readInput = read.longAttr("gen_ai.usage.input_tokens");
    assertEquals(cost(readInput, read.longAttr("gen_ai.usage.output_tokens"), cached, 0),
        read.doubleAttr("llm_otel.cost.usd"), 1e-12);
  }

  @Test
  void invokeModelHasItsUsageFromBedrocksHeadersAndTheFamilysStopReason() {
    ReceivedSpan span = onlyChat("invoke");
    assertEquals(200L, span.longAttr("gen_ai.request.max_tokens"));
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertEquals(cost(6, 5, 0, 0), span.doubleAttr("llm_otel.cost.usd"), 1e-12);
  }

  @Test
  void anEmbeddingModelIsAnEmbeddingsSpan() {
    ReceivedSpan span = onlyCall("invoke-embed");
    assertEquals("embeddings amazon.titan-embed-text-v2:0", span.name());
    assertEquals("embeddings", span.attr("gen_ai.operation.name"));
    assertEquals(4L, span.longAttr("gen_ai.usage.input_tokens"), "Titan counts the words");
    assertTrue(span.longAttr("gen_ai.embeddings.dimension.count") > 0);
    assertEquals(4 * 0.02 / 1e6, span.doubleAttr("llm_otel.cost.usd"), 1e-15);
  }

  @Test
  void anInvokeStreamHasItsUsageFromBedrocksInvocationMetrics() {
    ReceivedSpan span = onlyChat("invoke-stream");
    String appSaw = run.result("invoke-stream");
    assertEquals(Long.parseLong(appSaw.substring("ok chunks=".length())), span.longAttr("llm_otel.stream.chunks"));
    // Anthropic's events inside the chunks (input in message_start, output in message_delta) and the
    // last chunk's invocation metrics agree: the server's numbers for this request, 4 + 5 in, 8 out.
    run.assertServedUsage("invoke-stream", span);
    assertEquals("end_turn", span.attr("gen_ai.response.finish_reasons"));
    assertNull(span.attr("llm_otel.stream.end"));
  }

  @Test
  void aThrottledCallRetriedByTheSdkIsOneSpanWithTheFailedAttempt() {
    ReceivedSpan span = onlyChat("converse-retried");
    assertEquals("UNSET", span.statusCode());
    assertEquals(1L, span.longAttr("llm_otel.retry.count"));
    List<ReceivedEvent> failed = span.events("llm_otel.attempt.failed");
    assertEquals(1, failed.size());
    assertEquals(429L, failed.get(0).longAttr("http.response.status_code"));
    assertTrue(failed.get(0).attr("llm_otel.provider.request_id").startsWith("00000000-0000-4000-8000-"));
    assertEquals(2, run.llm.requests("converse-retried").size());
    run.assertServedUsage("converse-retried", span);
  }

  /**
   * A Converse tool call's input is checked against the tool's inputSchema (blocking and streamed),
   * a structured output's text against outputConfig's JSON Schema (Converse) or output_config's
   * (a Claude InvokeModel body); the policy is off, so the app gets every answer as the SDK returned it.
   */
  @Test
  void toolInputsAndStructuredAnswersAreMarkedValidOrNotAndUnusableOnesEscalated() {
    OutputChecks out = new OutputChecks(run, captureContent());
    out.assertUsable("out-tool-valid");
    assertTrue(run.result("out-tool-valid").startsWith("ok stop=tool_use tools=get_weather"), run.result("out-tool-valid"));

    assertTrue(run.result("out-tool-wrong").startsWith("ok stop=tool_use tools=get_weather"), run.result("out-tool-wrong"));
    out.assertUnusable("out-tool-wrong", "invalid", "tool get_weather: $: required");
    assertEquals("ok stop=end_turn answer=" + WRONG_STRUCTURE, run.result("out-structured-wrong"));
    ReceivedSpan structured = out.assertVerdict("out-structured-wrong", "invalid", "$: required");
    assertEquals("json", structured.attr("gen_ai.output.type"));
    out.assertEscalated("out-structured-wrong", "output_invalid");
    // Prose where the output config asked for JSON.
    out.assertUnusable("out-structured-prose", "not_json", "$: not JSON");
    // InvokeModel with a Claude model: the structured output declared in Anthropic's own body.
    assertTrue(run.result("out-invoke-wrong").contains("\"stop_reason\":\"end_turn\""), run.result("out-invoke-wrong"));
    out.assertUnusable("out-invoke-wrong", "invalid", "$: required");
    // Streamed: the contentBlockDelta toolUse fragments, put together.
    assertEquals("ok stop=tool_use input=" + WRONG_STRUCTURE, run.result("out-stream-tool-wrong"));
    out.assertUnusable("out-stream-tool-wrong", "invalid", "tool get_weather: $: required");
  }

  @Test
  void truncatedAndFilteredAnswersAreEscalatedWithTheirReason() {
    OutputChecks out = new OutputChecks(run, captureContent());
    // The tool call cut at the token limit: its input is {} (Converse's JSON body carries an object).
    assertTrue(run.result("out-truncated").startsWith("ok stop=max_tokens"), run.result("out-truncated"));
    ReceivedSpan cut = out.assertVerdict("out-truncated", "invalid", "tool get_weather: $: required");
    assertEquals("max_tokens", cut.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-truncated", "truncated");
    // stopReason content_filtered, no content: no tool call to check (the request declared no answer schema).
    assertEquals("ok stop=content_filtered answer=", run.result("out-refusal"));
    ReceivedSpan filtered = out.assertNotChecked("out-refusal");
    assertEquals("content_filtered", filtered.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-refusal", "content_filter");
    out.assertNotChecked("converse");
    out.assertNotEscalated("converse");
  }

  @Test
  void contentIsCapturedOnlyWhenSwitchedOnAndTheSecretNeverIs() {
    ReceivedSpan span = onlyChat("converse");
    if (captureContent()) {
      assertTrue(span.attr("gen_ai.input.messages").contains("Say hello"));
      assertTrue(span.attr("gen_ai.output.messages").contains("Fake answer to: Say hello"));
    } else {
      assertNull(span.attr("gen_ai.input.messages"));
      assertNull(span.attr("gen_ai.output.messages"));
    }
    for (ReceivedSpan s : run.receiver.spans(x -> true)) {
      assertTrue(s.attributes().values().stream().noneMatch(v -> String.valueOf(v).contains("smoke-test-secret")),
          s.name() + " " + s.attributes());
    }
  }
}
