package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.GeminiWire;
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
 * The Google GenAI Java SDK under the real agent: one generate_content span per call, blocking,
 * async and streamed, for the Gemini API and Vertex AI, with usage (thoughts and cached content
 * included) and cost exact against the fake server's numbers, function calls, embeddings and the
 * SDK's retries. Subclasses choose the SDK release, the JVM and whether content is captured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractGoogleGenAiSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("chat", "chat-params", "chat-async", "chat-stream",
      "chat-stream-async", "chat-stream-closed-early", "tool-use", "thinking", "cached", "embed", "vertex-chat",
      "chat-retried", "out-valid", "out-json-any", "out-wrong", "out-not-json", "out-truncated", "out-refusal",
      "out-tool-valid", "out-tool-wrong", "out-stream-wrong");
  /** An answer in the wrong structure: the schema wants city and population, the function a city. */
  static final String WRONG_STRUCTURE = AbstractOpenAiSmokeTest.WRONG_STRUCTURE;
  static final String SCOPE = "dev.llmotel.google-genai";
  static final String MODEL = "gemini-2.5-flash";
  /** gemini-2.5-flash in the bundled price table, USD per million tokens. */
  static final double INPUT = 0.30;
  static final double OUTPUT = 2.50;
  static final double CACHE_READ = 0.03;

  SmokeRun run;

  abstract String release();

  abstract String javaHome();

  abstract boolean captureContent();

  /** The OkHttp-based releases retry 429s themselves; 1.0 on Apache HttpClient does not. */
  boolean sdkRetries() {
    return release().equals("newest");
  }

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
    Map<String, String> props = new HashMap<>();
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    props.put("otel.instrumentation.genai.capture-message-content", String.valueOf(captureContent()));
    run.launchApp("google-genai-" + release() + (captureContent() ? "-capture" : ""), "google-genai-app-" + release(),
        "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp", javaHome(), props, SCENARIOS);
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
    return onlyCall(scenario, "gcp.gemini");
  }

  ReceivedSpan onlyCall(String scenario, String provider) {
    List<ReceivedSpan> spans = calls(scenario);
    assertEquals(1, spans.size(), scenario + ": " + spans);
    ReceivedSpan span = spans.get(0);
    assertEquals("generate_content " + MODEL, span.name());
    assertEquals("CLIENT", span.kind());
    assertEquals(SCOPE, span.scopeName());
    assertEquals(provider, span.attr("gen_ai.provider.name"));
    assertEquals("generate_content", span.attr("gen_ai.operation.name"));
    assertEquals(MODEL, span.attr("gen_ai.request.model"));
    assertEquals("127.0.0.1", span.attr("server.address"));
    return span;
  }

  /** SDK 1.0 does not read responseId from the response; later releases do. */
  void assertResponseId(ReceivedSpan span) {
    if (release().equals("newest")) {
      assertTrue(span.attr("gen_ai.response.id").startsWith("gresp_fake_"), span.attr("gen_ai.response.id"));
    } else {
      assertNull(span.attr("gen_ai.response.id"));
    }
  }

  static double cost(long input, long output, long cacheRead) {
    return ((input - cacheRead) * INPUT + output * OUTPUT + cacheRead * CACHE_READ) / 1_000_000d;
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    run.assertRanCleanly(SCENARIOS.size());
    for (String s : SCENARIOS) {
      if (s.equals("chat-retried") && !sdkRetries()) continue;
      assertTrue(run.result(s).startsWith("ok "), s + ": " + run.result(s));
    }
  }

  @Test
  void aCallIsOneSpanWithTheFakeServersExactUsageAndCost() {
    ReceivedSpan span = onlyCall("chat");
    assertEquals("UNSET", span.statusCode());
    assertResponseId(span);
    assertEquals(GeminiWire.modelVersion(MODEL), span.attr("gen_ai.response.model"));
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    // The fake server: 4 + 2 words of "Say hello"; answer "Fake answer to: Say hello", 5 words.
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals(cost(6, 5, 0), span.doubleAttr("llm_otel.cost.usd"), 1e-12);
    // The agent's own HTTP client span of the request, under ours.
    assertEquals(1, run.receiver.children(span).size());
    assertEquals(1, run.llm.requests("chat").size());
    assertTrue(run.llm.requests("chat").get(0).path().endsWith("/models/" + MODEL + ":generateContent"));
  }

  @Test
  void theRequestsParametersAreRecorded() {
    ReceivedSpan span = onlyCall("chat-params");
    assertEquals(0.3, span.doubleAttr("gen_ai.request.temperature"), 1e-9);
    assertEquals(0.9, span.doubleAttr("gen_ai.request.top_p"), 1e-9);
    assertEquals(200L, span.longAttr("gen_ai.request.max_tokens"));
    assertEquals("END", span.attr("gen_ai.request.stop_sequences"));
    // The system instruction counts in the prompt: (4 + 3) + (4 + 2).
    assertEquals(13L, span.longAttr("gen_ai.usage.input_tokens"));
    if (captureContent()) {
      assertTrue(span.attr("gen_ai.system_instructions").contains("You are terse."));
    } else {
      assertNull(span.attr("gen_ai.system_instructions"));
    }
  }

  @Test
  void anAsyncCallEndsWithItsFuture() {
    ReceivedSpan span = onlyCall("chat-async");
    assertEquals(6L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(5L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
  }

  void assertStreamed(String scenario) {
    ReceivedSpan span = onlyCall(scenario);
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    String appSaw = run.result(scenario);
    long chunks = Long.parseLong(appSaw.substring("ok chunks=".length(), appSaw.indexOf(' ', "ok chunks=".length())));
    assertEquals(8, chunks, "one chunk per word of the answer");
    assertEquals(chunks, span.longAttr("llm_otel.stream.chunks"), "every chunk the app read counted once");
    // The last chunk's usageMetadata (each chunk's candidatesTokenCount counts the words so far: the last
    // is the total, not a sum over chunks): the server's numbers for this request, 4 + 5 words in, 8 out.
    run.assertServedUsage(scenario, span);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    assertResponseId(span);
    assertNotNull(span.doubleAttr("gen_ai.response.time_to_first_chunk"));
    assertNull(span.attr("llm_otel.stream.end"));
    assertEquals("UNSET", span.statusCode());
    assertTrue(appSaw.endsWith("text=Fake answer to: Tell me a short story"), appSaw);
    if (captureContent()) {
      assertTrue(span.attr("gen_ai.output.messages").contains("Fake answer to: Tell me a short story"),
          span.attr("gen_ai.output.messages"));
    }
  }

  @Test
  void aStreamReadToTheEndHasItsUsageFromTheLastChunk() {
    assertStreamed("chat-stream");
  }

  @Test
  void anAsyncStreamEndsWhenItIsReadToTheEnd() {
    assertStreamed("chat-stream-async");
  }

  @Test
  void aStreamClosedEarlyEndsThenAndSaysSo() {
    ReceivedSpan span = onlyCall("chat-stream-closed-early");
    assertEquals("closed_early", span.attr("llm_otel.stream.end"));
    assertEquals(1L, span.longAttr("llm_otel.stream.chunks"));
    assertEquals("UNSET", span.statusCode());
    // The one chunk read carried usageMetadata: the whole prompt as the server counted it, and the
    // candidates so far, the words of that chunk's text (the app printed it), not an estimate.
    assertEquals(run.servedUsage("chat-stream-closed-early").input(), span.longAttr("gen_ai.usage.input_tokens"),
        span.attributes().toString());
    String appSaw = run.result("chat-stream-closed-early");
    assertTrue(appSaw.startsWith("ok first="), appSaw);
    assertEquals(FakeLlmServer.words(appSaw.substring("ok first=".length())), span.longAttr("gen_ai.usage.output_tokens"),
        appSaw + " " + span.attributes());
    assertNull(span.attributes().get("llm_otel.usage.estimated"), span.attributes().toString());
  }

  @Test
  void aFunctionCallRoundTripIsTwoSpansWithTheToolRecorded() {
    List<ReceivedSpan> spans = calls("tool-use");
    assertEquals(2, spans.size(), spans.toString());
    List<RecordedRequest> sent = run.llm.requests("tool-use");
    assertEquals(2, sent.size(), sent.toString());
    for (int i = 0; i < 2; i++) SmokeRun.assertServedUsage(ServedUsage.of(sent.get(i)), spans.get(i), "tool-use call " + i);
    assertTrue(run.result("tool-use").startsWith("ok tool=get_weather answer=Fake answer using tool result:"),
        run.result("tool-use"));
    if (captureContent()) {
      String asked = spans.get(0).attr("gen_ai.output.messages");
      assertTrue(asked.contains("tool_call") && asked.contains("get_weather"), asked);
      assertTrue(spans.get(0).attr("gen_ai.tool.definitions").contains("get_weather"));
      String input = spans.get(1).attr("gen_ai.input.messages");
      assertTrue(input.contains("tool_call_response") && input.contains("Paris"), input);
      assertTrue(input.contains("\"role\":\"assistant\""), "the model's turn is the assistant's: " + input);
    } else {
      assertNull(spans.get(0).attr("gen_ai.output.messages"));
      assertNull(spans.get(1).attr("gen_ai.input.messages"));
    }
  }

  @Test
  void thoughtsCountAsOutputAndAreReportedOnTheirOwn() {
    ReceivedSpan span = onlyCall("thinking");
    // "Think, then say hello": 4 + 4 prompt; thoughts 2 x 8; answer 7 words.
    assertEquals(8L, span.longAttr("gen_ai.usage.input_tokens"));
    assertEquals(16L, span.longAttr("gen_ai.usage.reasoning.output_tokens"));
    assertEquals(7L + 16L, span.longAttr("gen_ai.usage.output_tokens"));
    assertEquals(cost(8, 23, 0), span.doubleAttr("llm_otel.cost.usd"), 1e-12);
  }

  @Test
  void cachedContentIsInTheInputAndPricedAtItsOwnRate() {
    ReceivedSpan span = onlyCall("cached");
    long cached = GeminiWire.CACHED_CONTENT_TOKENS;
    assertEquals(cached, span.longAttr("gen_ai.usage.cache_read.input_tokens"));
    assertEquals(6L + cached, span.longAttr("gen_ai.usage.input_tokens"), "the prompt count includes the cache");
    assertEquals(cost(6 + cached, 5, cached), span.doubleAttr("llm_otel.cost.usd"), 1e-12);
  }

  @Test
  void embeddingsAreAnEmbeddingsSpan() {
    List<ReceivedSpan> spans = calls("embed");
    assertEquals(1, spans.size(), spans.toString());
    ReceivedSpan span = spans.get(0);
    assertEquals("embeddings text-embedding-004", span.name());
    assertEquals("embeddings", span.attr("gen_ai.operation.name"));
    assertEquals("gcp.gemini", span.attr("gen_ai.provider.name"));
    assertEquals(8L, span.longAttr("gen_ai.embeddings.dimension.count"));
    assertEquals("ok embeddings=1 dims=8", run.result("embed"));
  }

  @Test
  void aVertexClientIsTheVertexProvider() {
    ReceivedSpan span = onlyCall("vertex-chat", "gcp.vertex_ai");
    run.assertServedUsage("vertex-chat", span);
    assertEquals(cost(6, 5, 0), span.doubleAttr("llm_otel.cost.usd"), 1e-12, "priced like the Gemini model");
    String path = run.llm.requests("vertex-chat").get(0).path();
    assertTrue(path.contains("/projects/smoke-project/locations/us-central1/publishers/google/models/"), path);
  }

  @Test
  void a429IsRetriedByTheSdkAndRecordedOnOneSpan() {
    ReceivedSpan span = onlyCall("chat-retried");
    if (!sdkRetries()) {
      // SDK 1.0 does not retry: the app gets the SDK's ClientException, and so does the span.
      assertTrue(run.result("chat-retried").startsWith("error com.google.genai.errors.ClientException"),
          run.result("chat-retried"));
      assertEquals("ERROR", span.statusCode());
      assertEquals("com.google.genai.errors.ClientException", span.attr("error.type"));
      assertEquals(1, run.llm.requests("chat-retried").size());
      return;
    }
    assertEquals("UNSET", span.statusCode());
    assertEquals(1L, span.longAttr("llm_otel.retry.count"));
    List<ReceivedEvent> failed = span.events("llm_otel.attempt.failed");
    assertEquals(1, failed.size());
    assertEquals(429L, failed.get(0).longAttr("http.response.status_code"));
    assertEquals("0", failed.get(0).attr("llm_otel.retry_after"));
    assertEquals(2, run.llm.requests("chat-retried").size());
    run.assertServedUsage("chat-retried", span);
  }

  /**
   * responseMimeType application/json with a responseSchema (Gemini's OpenAPI dialect) or with none,
   * and a function's parameters: the answer is checked against them, blocking and streamed; the
   * policy is off, so the app gets every answer as the SDK returned it.
   */
  @Test
  void structuredAnswersAndFunctionCallsAreMarkedValidOrNotAndUnusableOnesEscalated() {
    OutputChecks out = new OutputChecks(run, captureContent());
    ReceivedSpan valid = out.assertUsable("out-valid");
    assertEquals("json", valid.attr("gen_ai.output.type"));
    assertTrue(run.result("out-valid").startsWith("ok finish=STOP answer={"), run.result("out-valid"));
    out.assertUsable("out-json-any");
    out.assertUsable("out-tool-valid");
    assertTrue(run.result("out-tool-valid").startsWith("ok finish=STOP calls=get_weather"), run.result("out-tool-valid"));

    assertEquals("ok finish=STOP answer=" + WRONG_STRUCTURE, run.result("out-wrong"));
    out.assertUnusable("out-wrong", "invalid", "$: required");
    out.assertUnusable("out-not-json", "not_json", "$: not JSON");
    // The function call's args miss the city its parameters require.
    out.assertUnusable("out-tool-wrong", "invalid", "tool get_weather: $: required");
    assertEquals("ok answer=" + WRONG_STRUCTURE, run.result("out-stream-wrong"));
    out.assertUnusable("out-stream-wrong", "invalid", "$: required");
  }

  @Test
  void truncatedAndBlockedAnswersAreEscalatedWithTheirReason() {
    OutputChecks out = new OutputChecks(run, captureContent());
    ReceivedSpan cut = out.assertVerdict("out-truncated", "not_json", "$: not JSON");
    assertTrue(run.result("out-truncated").startsWith("ok finish=MAX_TOKENS answer="), run.result("out-truncated"));
    assertEquals("max_tokens", cut.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-truncated", "truncated");
    // finishReason SAFETY, no content: the app reads the candidate (the SDK's text() has nothing to give).
    assertEquals("ok finish=SAFETY answer=", run.result("out-refusal"));
    // A safety stop is not an attempt at the structure: escalated as what it is, not checked.
    ReceivedSpan blocked = out.assertNotChecked("out-refusal");
    assertEquals("safety", blocked.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-refusal", "content_filter");
    out.assertNotChecked("chat");
    out.assertNotEscalated("chat");
  }

  @Test
  void contentIsCapturedOnlyWhenSwitchedOnAndTheKeyNeverIs() {
    ReceivedSpan span = onlyCall("chat");
    if (captureContent()) {
      assertTrue(span.attr("gen_ai.input.messages").contains("Say hello"));
      assertTrue(span.attr("gen_ai.output.messages").contains("Fake answer to: Say hello"));
    } else {
      assertNull(span.attr("gen_ai.input.messages"));
      assertNull(span.attr("gen_ai.output.messages"));
    }
    for (ReceivedSpan s : run.receiver.spans(x -> true)) {
      assertTrue(s.attributes().values().stream()
              .noneMatch(v -> String.valueOf(v).contains("smoke-test-secret") || String.valueOf(v).contains("ya29.")),
          s.name() + " " + s.attributes());
    }
  }
}
