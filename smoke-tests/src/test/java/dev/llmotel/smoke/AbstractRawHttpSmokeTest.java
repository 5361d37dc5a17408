package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.ArrayList;
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
 * A legacy agent that calls LLM APIs with a plain HTTP client directly, under the real agent: each
 * call to a known endpoint gets the LLM span an SDK call gets (usage exact against what the body
 * said, cost, streams, the three wire formats), the app reads exactly the bytes it reads without the
 * agent, and the app's own retry loop shows as linked attempts. The app runs once without the agent
 * and once with it; subclasses choose the client (and its version).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRawHttpSmokeTest {
  static final int MAX_BODY = 16384;

  SmokeRun plain;
  SmokeRun run;
  List<String> scenarios;

  abstract String appModule();

  abstract String mainClass();

  /** The instrumentation scope of the client's LLM spans. */
  abstract String scope();

  /** The app's scenario that sends without blocking (enqueue, sendAsync). */
  abstract String asyncScenario();

  /** Scenarios only this client's app has. */
  abstract List<String> extraScenarios();

  /** The JVM the app runs on. */
  String javaHome() {
    return System.getProperty("java.home");
  }

  static void script(SmokeRun r) {
    r.llm.script("retried-429", Behaviour.error(429, "0"));
    // About 6,000 words: a body well above the copy's cap.
    r.llm.script("large-response", Behaviour.chunks(6000));
    // A stream far longer than any reader's buffer, so that what the app abandons was not read ahead.
    r.llm.script("chat-stream-abandoned", Behaviour.chunks(5000));
    // Structured output (RawBodies.structuredBody): an answer in the wrong structure, a tool call with
    // the wrong arguments, an answer cut at the token limit; the others answer as the schema asks.
    r.llm.script("out-chat-wrong", Behaviour.answerText("{\"town\":\"Paris\"}"));
    r.llm.script("out-anthropic-tool-wrong", Behaviour.toolArguments("{\"town\":\"Paris\"}"));
    r.llm.script("out-responses-cut", Behaviour.cutAtTokenLimit());
    r.llm.script("out-chat-prose", Behaviour.answerText("The capital of France is Paris."));
    r.llm.script("out-anthropic-refusal", Behaviour.refusal());
    r.llm.script("out-gemini-blocked", Behaviour.refusal());
  }

  static final List<String> OUTPUT_SCENARIOS = List.of("out-chat-valid", "out-chat-wrong", "out-chat-stream-valid",
      "out-responses-cut", "out-anthropic-tool-wrong", "out-gemini-valid", "out-chat-prose", "out-anthropic-refusal",
      "out-gemini-blocked");

  @BeforeAll
  void runApp() throws Exception {
    scenarios = new ArrayList<>(List.of("chat", asyncScenario(), "chat-stream", "chat-stream-abandoned",
        "body-never-read", "custom-endpoint", "embeddings", "anthropic", "gemini", "gemini-stream", "retried-429",
        "large-response"));
    scenarios.addAll(OUTPUT_SCENARIOS);
    scenarios.addAll(extraScenarios());
    String main = mainClass();
    plain = new SmokeRun();
    script(plain);
    String suffix = javaHome().equals(System.getProperty("java.home")) ? "" : "-java25";
    plain.launchAppWithoutAgent(appModule() + suffix + "-no-agent", appModule(), main, javaHome(), scenarios);
    run = new SmokeRun();
    script(run);
    Map<String, String> props = new HashMap<>();
    props.put("otel.instrumentation.llm-otel.http.max-body-bytes", String.valueOf(MAX_BODY));
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    props.put("otel.instrumentation.llm-otel.http.endpoints",
        "localhost:" + run.llm.port() + "/v1/chat/.*=acme-llm:openai-chat");
    run.launchApp(appModule() + suffix, appModule(),
        main, javaHome(), props, scenarios);
  }

  @AfterAll
  void stop() {
    if (plain != null) plain.close();
    if (run != null) run.close();
  }

  List<ReceivedSpan> calls(String scenario) {
    return run.receiver.children(run.scenario(scenario)).stream()
        .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).collect(Collectors.toList());
  }

  ReceivedSpan onlyCall(String scenario, String name) {
    List<ReceivedSpan> spans = calls(scenario);
    assertEquals(1, spans.size(), scenario + ": " + spans);
    ReceivedSpan span = spans.get(0);
    assertEquals(name, span.name());
    assertEquals(scope(), span.scopeName());
    assertEquals("CLIENT", span.kind());
    assertEquals("127.0.0.1", span.attr("server.address"));
    List<ReceivedSpan> http = run.receiver.children(span);
    assertEquals(1, http.size(), "the agent's own HTTP client span under the LLM span: " + http);
    return span;
  }

  /** The usage numbers the app read from the body ("usage=IN/OUT" in its result; -1 where the body had none). */
  long[] usageTheAppRead(String scenario) {
    String r = run.result(scenario);
    String[] parts = r.substring(r.indexOf("usage=") + "usage=".length()).split("/");
    long[] usage = new long[2];
    for (int i = 0; i < 2; i++) usage[i] = parts[i].trim().equals("-") ? -1 : Long.parseLong(parts[i].trim());
    assertTrue(usage[0] > 0, "the body reported its usage: " + r);
    return usage;
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrorsAndReadTheSameBytesAsWithoutTheAgent() {
    run.assertRanCleanly(scenarios.size());
    assertEquals(0, plain.app.exitCode, plain.tail());
    for (String s : scenarios) {
      if (s.equals("sdk-chat")) continue;
      assertTrue(run.result(s).startsWith("ok "), s + ": " + run.result(s));
      // Status, byte count and SHA-256 of the body, and what it said: identical with and without the agent.
      assertEquals(plain.result(s), run.result(s), s);
    }
  }

  /**
   * A raw client's structured-output calls are checked as an SDK's are: the answer text against the
   * declared schema (OpenAI chat, streamed or not; Gemini's responseSchema in its own dialect), an
   * Anthropic tool call's input against the tool's input_schema; an answer cut at the token limit
   * is escalated as truncated. The app reads the same bytes (the policy is off).
   */
  @Test
  void structuredAnswersAreCheckedAndUnusableOnesEscalated() {
    OutputChecks out = new OutputChecks(run, false);
    out.assertUsable("out-chat-valid");
    out.assertVerdict("out-chat-stream-valid", "valid", null);
    out.assertVerdict("out-gemini-valid", "valid", null);
    out.assertUnusable("out-chat-wrong", "invalid", "$: required");
    out.assertUnusable("out-anthropic-tool-wrong", "invalid", "tool get_weather: $: required");
    out.assertVerdict("out-responses-cut", "not_json", "$: not JSON");
    out.assertEscalated("out-responses-cut", "truncated");
    out.assertUnusable("out-chat-prose", "not_json", "$: not JSON");
    // A refusal and a safety stop are not attempts at the structure: escalated as what they are, unchecked.
    out.assertNotChecked("out-anthropic-refusal");
    out.assertEscalated("out-anthropic-refusal", "refusal");
    out.assertNotChecked("out-gemini-blocked");
    out.assertEscalated("out-gemini-blocked", "content_filter");
    assertEquals("json", run.onlyLlmSpan("out-chat-valid").attr("gen_ai.output.type"));
  }

  @Test
  void aChatCallIsOneChatSpanWithTheBodysUsageAndCost() {
    ReceivedSpan span = onlyCall("chat", "chat gpt-4o-mini");
    assertEquals("openai", span.attr("gen_ai.provider.name"), "a compatible server on another host is the openai family");
    long[] usage = usageTheAppRead("chat");
    assertEquals(usage[0], span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(usage[1], span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals((usage[0] * 0.15 + usage[1] * 0.60) / 1e6, span.doubleAttr("llm_otel.cost.usd"), 1e-12);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    assertTrue(span.attr("gen_ai.response.id").startsWith("chatcmpl-"), span.attr("gen_ai.response.id"));
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_TOKENS, span.attr("llm_otel.ratelimit.remaining_tokens"));
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_REQUESTS, span.attr("llm_otel.ratelimit.remaining_requests"));
    assertEquals("UNSET", span.statusCode());
  }

  @Test
  void anAsyncCallIsTracedTheSame() {
    ReceivedSpan span = onlyCall(asyncScenario(), "chat gpt-4o-mini");
    long[] usage = usageTheAppRead(asyncScenario());
    assertEquals(usage[0], span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(usage[1], span.longAttr("gen_ai.usage.output_tokens"));
  }

  @Test
  void aStreamReadFullyHasItsUsageAndChunks() {
    ReceivedSpan span = onlyCall("chat-stream", "chat gpt-4o-mini");
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    long[] usage = usageTheAppRead("chat-stream");
    assertEquals(usage[0], span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(usage[1], span.longAttr("gen_ai.usage.output_tokens"));
    assertTrue(span.longAttr("llm_otel.stream.chunks") > 5, "one per chunk event: " + span.attributes());
    assertNull(span.attr("llm_otel.stream.end"));
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
  }

  /**
   * Closed before its usage event, the stream was still billed: its usage is estimated (input as
   * counted before sending, output from the characters of the chunks read, capture off) and the span
   * says so. The fake server sends a role chunk, then one word of the answer per chunk (the words of
   * "Fake answer to: Tell me a short story", repeated): the characters of the chunks this layer saw
   * ({@code llm_otel.stream.chunks}, more than the app's three lines where the client reads ahead)
   * are known exactly.
   */
  @Test
  void anAbandonedStreamEndsWhenClosedAndSaysSo() {
    ReceivedSpan span = onlyCall("chat-stream-abandoned", "chat gpt-4o-mini");
    assertEquals("closed_early", span.attr("llm_otel.stream.end"));
    assertEquals(Boolean.TRUE, span.attributes().get("llm_otel.usage.estimated"), span.attributes().toString());
    Long input = span.longAttr("gen_ai.usage.input_tokens");
    assertTrue(input != null && input > 0, "input counted from the request: " + span.attributes());
    long chunks = span.longAttr("llm_otel.stream.chunks");
    assertTrue(chunks >= 2 && chunks < 5000, "the role chunk and the first word at least, not the whole stream: " + chunks);
    String[] words = "Fake answer to: Tell me a short story".split(" ");
    long characters = 0;
    for (int i = 0; i < chunks - 1; i++) characters += (i == 0 ? 0 : 1) + words[i % words.length].length();
    long output = span.longAttr("gen_ai.usage.output_tokens");
    assertTrue(output > 0, "output is never silently zero");
    assertEquals((characters + 3) / 4, output, "ceil(characters / 4) of the " + chunks + " chunks read");
    assertEquals((input * 0.15 + output * 0.60) / 1e6, span.doubleAttr("llm_otel.cost.usd"), 1e-12,
        "the estimate is priced");
  }

  /**
   * The app closed a 200 answer without reading it: the span ends, with nothing read from the body,
   * but the provider billed the call, so its usage is what admission assumed (the input as counted
   * before sending, the documented 1,024 output tokens for a request that sets no maximum), marked
   * as estimated and priced.
   */
  @Test
  void aBodyNeverReadStillEndsTheSpanAndCountsWhatWasAssumed() {
    ReceivedSpan span = onlyCall("body-never-read", "chat gpt-4o-mini");
    assertEquals("UNSET", span.statusCode());
    assertNull(span.attr("gen_ai.response.id"), "nothing was read");
    assertEquals(Boolean.TRUE, span.attributes().get("llm_otel.usage.estimated"), span.attributes().toString());
    Long input = span.longAttr("gen_ai.usage.input_tokens");
    assertTrue(input != null && input > 0, span.attributes().toString());
    assertEquals(1024L, span.longAttr("gen_ai.usage.output_tokens"), span.attributes().toString());
    assertEquals((input * 0.15 + 1024 * 0.60) / 1e6, span.doubleAttr("llm_otel.cost.usd"), 1e-12);
  }

  @Test
  void aConfiguredEndpointNamesItsProvider() {
    List<ReceivedSpan> spans = calls("custom-endpoint");
    assertEquals(1, spans.size());
    assertEquals("acme-llm", spans.get(0).attr("gen_ai.provider.name"));
    assertEquals("localhost", spans.get(0).attr("server.address"));
  }

  @Test
  void embeddingsAnthropicAndGeminiFormatsAreRecognised() {
    ReceivedSpan embeddings = onlyCall("embeddings", "embeddings text-embedding-3-small");
    assertEquals(usageTheAppRead("embeddings")[0], embeddings.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(8L,
        embeddings.longAttr("gen_ai.embeddings.dimension.count"), "the fake server's 8 dimensions, counted from the base64 vector");
    ReceivedSpan anthropic = onlyCall("anthropic", "chat claude-sonnet-4-20250514");
    assertEquals("anthropic", anthropic.attr("gen_ai.provider.name"));
    assertEquals(usageTheAppRead("anthropic")[0], anthropic.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(usageTheAppRead("anthropic")[1], anthropic.longAttr("gen_ai.usage.output_tokens"));
    assertEquals("end_turn", anthropic.attr("gen_ai.response.finish_reasons"));
    ReceivedSpan gemini = onlyCall("gemini", "generate_content gemini-2.5-flash");
    assertEquals("gcp.gemini", gemini.attr("gen_ai.provider.name"));
    assertEquals(usageTheAppRead("gemini")[0], gemini.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(usageTheAppRead("gemini")[1], gemini.longAttr("gen_ai.usage.output_tokens"));
    ReceivedSpan stream = onlyCall("gemini-stream", "generate_content gemini-2.5-flash");
    assertEquals(Boolean.TRUE, stream.attributes().get("gen_ai.request.stream"));
    // The last chunk's usageMetadata, the one the app read last: the request's totals.
    assertEquals(usageTheAppRead("gemini-stream")[0], stream.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(usageTheAppRead("gemini-stream")[1], stream.longAttr("gen_ai.usage.output_tokens"));
    assertEquals("stop", stream.attr("gen_ai.response.finish_reasons"));
  }

  @Test
  void theAppsOwnRetryIsALinkedAttemptWithTheRetryCount() {
    assertEquals("ok 429,200", run.result("retried-429"));
    List<ReceivedSpan> spans = calls("retried-429");
    assertEquals(2, spans.size(), spans.toString());
    ReceivedSpan failed = spans.get(0);
    ReceivedSpan retry = spans.get(1);
    assertEquals("ERROR", failed.statusCode());
    assertEquals("429", failed.attr("error.type"));
    assertEquals("0", failed.events("llm_otel.attempt.failed").get(0).attr("llm_otel.retry_after"));
    assertEquals("UNSET", retry.statusCode());
    assertEquals(1L, retry.longAttr("llm_otel.retry.count"));
    assertEquals(failed.spanId(), retry.links().get(0).spanId(), "the retry links to the attempt before it");
    assertTrue(run.receiver.awaitMetric("llm_otel.retries", java.time.Duration.ofSeconds(10)));
    assertEquals(1L, run.receiver.latestPoints("llm_otel.retries").stream()
        .filter(p -> "429".equals(p.attr("error.type"))).mapToLong(ReceivedPoint::longValue).sum(),
        "the retry metric counts the app's retry, with the status it retried");
  }

  @Test
  void aResponseLargerThanTheCopyIsMarkedTruncatedAndKeepsItsUsage() {
    ReceivedSpan span = onlyCall("large-response", "chat gpt-4o-mini");
    String appSaw = run.result("large-response");
    long bytes = Long.parseLong(appSaw.replaceAll(".* bytes=(\\d+) .*", "$1"));
    assertTrue(bytes > MAX_BODY, appSaw);
    assertEquals(Boolean.TRUE, span.attributes().get("llm_otel.response.truncated"));
    assertEquals(usageTheAppRead("large-response")[1], span.longAttr("gen_ai.usage.output_tokens"),
        "usage read from the body's tail");
  }

  @Test
  void theKeyNeverReachesTelemetry() {
    for (ReceivedSpan s : run.receiver.spans(x -> true)) {
      assertTrue(s.attributes().values().stream().noneMatch(v -> String.valueOf(v).contains("okhttp-smoke-test-secret")),
          s.name() + " " + s.attributes());
    }
  }
}
