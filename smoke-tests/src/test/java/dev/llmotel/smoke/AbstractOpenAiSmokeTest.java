package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.fakellm.ServedUsage;
import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.ReceivedEvent;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One launched JVM runs every OpenAI scenario; each test then checks one behaviour in what the
 * receiver decoded. Subclasses choose the SDK release, the JVM and whether content is captured.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractOpenAiSmokeTest {
  static final String API_KEY = "sk-smoke-test-secret-key-0123456789abcdef";
  static final String SECRET_IN_PROMPT = "SECRET-PROMPT-TEXT-4242";
  static final List<String> SCENARIOS = Arrays.asList("sync", "async", "stream", "stream-early-close",
      "stream-async", "embeddings", "responses", "responses-chain", "responses-stream", "tools", "retry-429", "async-retry-429", "fail-503",
      "malformed", "out-valid", "out-json-object", "out-wrong", "out-not-json", "out-truncated", "out-refusal",
      "out-stream-wrong", "out-tool-wrong", "out-unsure", "out-responses-wrong");
  /** An answer in the wrong structure: the schema wants city and population, nothing else. */
  static final String WRONG_STRUCTURE = "{\"town\":\"Paris\"}";
  static final List<Double> DURATION_BUCKETS = Arrays.asList(
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  static final List<Double> TOKEN_BUCKETS = Arrays.asList(1d, 4d, 16d, 64d, 256d, 1024d, 4096d,
      16384d, 65536d, 262144d, 1048576d, 4194304d, 16777216d, 67108864d);

  SmokeRun run;
  FakeLlmServer llm;
  OtlpReceiver receiver;
  AgentApp app;

  /** "oldest" or "newest": which smoke app build (and so which SDK release) runs. */
  abstract String sdk();

  abstract String javaHome();

  abstract boolean captureContent();

  /** The run's otel.semconv-stability.opt-in, null for none: which GenAI metric names it records. */
  String semconvOptIn() {
    return null;
  }

  boolean latestMetricNames() {
    return semconvOptIn() != null;
  }

  @BeforeAll
  void runApp() throws Exception {
    run = new SmokeRun();
    llm = run.llm;
    receiver = run.receiver;
    llm.script("retry-429", Behaviour.error(429, "0"), Behaviour.ok());
    llm.script("async-retry-429", Behaviour.error(429, "0"), Behaviour.ok());
    llm.script("fail-503", Behaviour.error(503), Behaviour.error(503), Behaviour.error(503));
    llm.script("malformed", Behaviour.malformed());
    llm.script("out-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    llm.script("out-not-json", Behaviour.answerText("The capital of France is Paris."));
    llm.script("out-truncated", Behaviour.cutAtTokenLimit());
    llm.script("out-refusal", Behaviour.refusal());
    llm.script("out-stream-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    llm.script("out-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    llm.script("out-unsure", Behaviour.unsure());
    llm.script("out-responses-wrong", Behaviour.answerText(WRONG_STRUCTURE));
    Map<String, String> props = new HashMap<>();
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    props.put("otel.instrumentation.genai.capture-message-content", String.valueOf(captureContent()));
    if (semconvOptIn() != null) props.put("otel.semconv-stability.opt-in", semconvOptIn());
    if (captureContent()) props.put("otel.instrumentation.llm-otel.request-hash.enabled", "true");
    String name = "openai-" + sdk() + "-java" + javaMajor() + (captureContent() ? "-capture" : "");
    app = run.launch(name, sdk(), javaHome(), props, SCENARIOS).app;
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  String javaMajor() {
    return javaHome().contains("25") ? "25" : "17";
  }

  ReceivedSpan scenario(String name) {
    return run.scenario(name);
  }

  List<ReceivedSpan> llmSpans(String scenario) {
    return run.llmSpans(scenario);
  }

  ReceivedSpan onlyLlmSpan(String scenario) {
    return run.onlyLlmSpan(scenario);
  }

  String tail() {
    return run.tail();
  }

  static void assertChatBasics(ReceivedSpan span) {
    assertEquals("chat gpt-4o-mini", span.name());
    assertEquals("CLIENT", span.kind());
    assertEquals("dev.llmotel.openai-java", span.scopeName());
    assertNotNull(span.scopeVersion());
    assertEquals("openai", span.attr("gen_ai.provider.name"));
    assertEquals("chat", span.attr("gen_ai.operation.name"));
    assertEquals("gpt-4o-mini", span.attr("gen_ai.request.model"));
    assertEquals("gpt-4o-mini-2024-07-18", span.attr("gen_ai.response.model"));
    assertEquals("127.0.0.1", span.attr("server.address"));
    assertNotNull(span.longAttr("server.port"));
    // Read by the SDK's attempt hook, blocking, async and streamed alike (the HTTP client's layer steps aside).
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_REQUESTS, span.attr("llm_otel.ratelimit.remaining_requests"));
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_TOKENS, span.attr("llm_otel.ratelimit.remaining_tokens"));
  }

  // ---- the tests ----

  @Test
  void structuredAnswersAreMarkedValidOrNotAndUnusableOnesEscalated() {
    OutputChecks out = new OutputChecks(run, captureContent());
    out.assertUsable("out-valid");
    out.assertUsable("out-json-object");
    // The policy is off: the app gets every answer as the SDK returned it.
    assertEquals("ok answer=" + WRONG_STRUCTURE, app.results.get("out-wrong"));
    out.assertUnusable("out-wrong", "invalid", "$: required");
    out.assertUnusable("out-not-json", "not_json", "$: not JSON");
    out.assertUnusable("out-stream-wrong", "invalid", "$: required");
    out.assertUnusable("out-responses-wrong", "invalid", "$: required");
    // The tool's arguments miss the city the tool's schema requires.
    out.assertUnusable("out-tool-wrong", "invalid", "tool get_weather: $: required");
  }

  @Test
  void truncatedRefusedAndUnsureAnswersAreEscalatedWithTheirReason() {
    OutputChecks out = new OutputChecks(run, captureContent());
    ReceivedSpan cut = out.assertVerdict("out-truncated", "not_json", "$: not JSON");
    assertEquals("length", cut.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-truncated", "truncated");
    out.assertNotChecked("out-refusal");
    out.assertEscalated("out-refusal", "refusal");
    ReceivedSpan unsure = out.assertNotChecked("out-unsure");
    assertEquals(Math.exp(-1.5), unsure.doubleAttr("llm_otel.output.confidence"), 1e-6);
    out.assertEscalated("out-unsure", "low_confidence");
    // A confident answer with log-probabilities would carry its confidence too; without them, none.
    assertNull(onlyLlmSpan("sync").doubleAttr("llm_otel.output.confidence"));
    out.assertNotEscalated("sync");
  }

  @Test
  void appRanEveryScenarioAndAgentLoggedNoInstrumentationError() {
    assertEquals(0, app.exitCode, tail());
    assertTrue(app.output.contains("DONE"), tail());
    assertEquals(SCENARIOS.size(), app.results.size(), "results: " + app.results);
    assertEquals(List.of(), app.instrumentationErrors(), "the agent's debug log shows instrumentation failures");
    assertTrue(app.output.contains("Instrumentation openai-java is disabled"),
        "the agent's own OpenAI instrumentation is off by default");
  }

  @Test
  void syncChatSpanFollowsGenAiSemconv() {
    ReceivedSpan span = onlyLlmSpan("sync");
    assertChatBasics(span);
    assertEquals("UNSET", span.statusCode());
    assertEquals(0.2, span.doubleAttr("gen_ai.request.temperature"), 1e-9);
    assertEquals(100L, span.longAttr("gen_ai.request.max_tokens"));
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    assertTrue(span.attr("gen_ai.response.id").startsWith("chatcmpl-"));
    assertEquals(0L, span.longAttr("llm_otel.retry.count"));
    // The fake server's usage for the request: 4 + words per message in, the answer's words out.
    run.assertServedUsage("sync", span);
    assertTrue(app.results.get("sync").startsWith("ok Fake answer"), app.results.get("sync"));
    // The agent's own HTTP client span nests under ours.
    List<ReceivedSpan> http = receiver.children(span);
    assertEquals(1, http.size(), "one HTTP attempt under the chat span: " + http);
    assertEquals("CLIENT", http.get(0).kind());
    assertEquals(200L, http.get(0).longAttr("http.response.status_code"));
  }

  @Test
  void asyncChatSpanEndsWithTheFuture() {
    ReceivedSpan span = onlyLlmSpan("async");
    assertChatBasics(span);
    run.assertServedUsage("async", span);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    assertTrue(span.endEpochNanos() >= receiver.children(span).get(0).endEpochNanos());
  }

  @Test
  void streamingSpanCountsTokensFromTheUsageChunk() {
    ReceivedSpan span = onlyLlmSpan("stream");
    assertChatBasics(span);
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    // The app asked for the usage chunk (stream_options.include_usage): the span has its numbers, the
    // ones the server counted for this request, not an estimate from the streamed text.
    RecordedRequest request = llm.requests("stream").get(0);
    assertTrue(request.json().path("stream_options").path("include_usage").asBoolean(), request.body());
    run.assertServedUsage("stream", span);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    Double ttfc = span.doubleAttr("gen_ai.response.time_to_first_chunk");
    assertNotNull(ttfc);
    assertTrue(ttfc > 0 && ttfc * 1e9 <= span.durationNanos(), "time to first chunk within the span");
    assertTrue(span.longAttr("llm_otel.stream.chunks") > 3);
    assertFalse(span.hasAttr("llm_otel.stream.end"));
  }

  @Test
  void streamClosedEarlyEndsTheSpanAndSaysSo() {
    ReceivedSpan span = onlyLlmSpan("stream-early-close");
    assertEquals("closed_early", span.attr("llm_otel.stream.end"));
    assertEquals(2L, span.longAttr("llm_otel.stream.chunks"));
    assertEquals("UNSET", span.statusCode());
    String appRead = app.results.get("stream-early-close");
    assertTrue(appRead.startsWith("ok chunks=2"));
    // Closed before its usage chunk: the spend is estimated, and the span says so; the output from
    // the text the app read, ceil(characters / 4).
    assertEquals(Boolean.TRUE, span.attributes().get("llm_otel.usage.estimated"), span.attributes().toString());
    assertTrue(span.longAttr("gen_ai.usage.input_tokens") > 0, span.attributes().toString());
    String text = appRead.substring(appRead.indexOf("text=") + "text=".length());
    assertTrue(text.length() > 0, appRead);
    assertEquals((text.length() + 3) / 4, span.longAttr("gen_ai.usage.output_tokens"), appRead);
  }

  @Test
  void asyncStreamSpanEndsOnCompletion() {
    ReceivedSpan span = onlyLlmSpan("stream-async");
    assertChatBasics(span);
    run.assertServedUsage("stream-async", span);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
  }

  @Test
  void embeddingsSpan() {
    ReceivedSpan span = onlyLlmSpan("embeddings");
    assertEquals("embeddings text-embedding-3-small", span.name());
    assertEquals("embeddings", span.attr("gen_ai.operation.name"));
    assertEquals(run.servedUsage("embeddings").input(), span.longAttr("gen_ai.usage.input_tokens"),
        "the input's words, as the server counted them: " + span.attributes());
    String dims = app.results.get("embeddings").replace("ok dims=", "");
    assertEquals(Long.parseLong(dims), span.longAttr("gen_ai.embeddings.dimension.count"));
    // No template to identify: no fingerprint, no prompt version, no new-version event.
    assertFalse(span.hasAttr("llm_otel.prompt.fingerprint"), span.toString());
    assertFalse(span.hasAttr("llm_otel.prompt.version"), span.toString());
    assertTrue(span.events("llm_otel.prompt.new_version").isEmpty());
    // The whole request's hash reads the whole prompt: only where the operator asks for it (the capture
    // runs here) or the loop guard counts it.
    if (captureContent()) {
      assertEquals(16, span.attr("llm_otel.request.hash").length());
    } else {
      assertNull(span.attr("llm_otel.request.hash"), "no request hash unless asked for");
    }
  }

  @Test
  void responsesApiSpan() {
    ReceivedSpan span = onlyLlmSpan("responses");
    assertChatBasics(span);
    assertTrue(span.attr("gen_ai.response.id").startsWith("resp_"));
    run.assertServedUsage("responses", span);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"), "completed, no function call");
  }

  /**
   * A chain of Responses API calls, each continuing the one before (previous_response_id), is one
   * conversation: gen_ai.conversation.id is the chain's first response id on every call after it.
   */
  @Test
  void aResponsesChainIsOneConversation() {
    List<ReceivedSpan> calls = llmSpans("responses-chain");
    calls.sort(java.util.Comparator.comparingLong(ReceivedSpan::startEpochNanos));
    assertEquals(3, calls.size());
    String first = calls.get(0).attr("gen_ai.response.id");
    assertNull(calls.get(0).attr("gen_ai.conversation.id"), "the first call continues nothing");
    assertEquals(first, calls.get(1).attr("gen_ai.conversation.id"));
    assertEquals(first, calls.get(2).attr("gen_ai.conversation.id"), "the chain keeps its first response's id");
  }

  @Test
  void responsesApiStreamSpanTakesUsageFromTheCompletedEvent() {
    ReceivedSpan span = onlyLlmSpan("responses-stream");
    assertChatBasics(span);
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    // The usage of the response.completed event: the server's numbers for this request.
    run.assertServedUsage("responses-stream", span);
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"), "completed, no function call");
    long events = Long.parseLong(app.results.get("responses-stream").replace("ok events=", ""));
    assertEquals(events, span.longAttr("llm_otel.stream.chunks"));
    assertNotNull(span.doubleAttr("gen_ai.response.time_to_first_chunk"));
  }

  @Test
  void toolCallRoundTripIsTwoChatSpansAroundTheAppsToolSpan() {
    List<ReceivedSpan> spans = llmSpans("tools");
    assertEquals(2, spans.size(), spans.toString());
    assertEquals("tool_calls", spans.get(0).attr("gen_ai.response.finish_reasons"));
    assertEquals("stop", spans.get(1).attr("gen_ai.response.finish_reasons"));
    // Each call has the usage the server sent for its own request (the tool call: its arguments' words + 1).
    List<RecordedRequest> sent = llm.requests("tools");
    assertEquals(2, sent.size(), sent.toString());
    for (int i = 0; i < 2; i++) {
      SmokeRun.assertServedUsage(ServedUsage.of(sent.get(i)), spans.get(i), "tools call " + i);
    }
    ReceivedSpan tool = receiver.spans(s -> s.name().equals("tool get_weather")).get(0);
    assertTrue(spans.get(0).endEpochNanos() <= tool.startEpochNanos());
    assertTrue(tool.endEpochNanos() <= spans.get(1).startEpochNanos());
    // The second request really carried the tool result back.
    JsonNode messages = llm.requests("tools").get(1).json().get("messages");
    assertEquals("tool", messages.get(messages.size() - 1).get("role").asText());
  }

  @Test
  void retried429IsOneSpanWithARetryCountAndAnEventPerFailedAttempt() {
    assertRetriedOnce("retry-429");
  }

  @Test
  void asyncRetried429IsSeenAcrossTheSdksRetryThread() {
    assertRetriedOnce("async-retry-429");
  }

  private void assertRetriedOnce(String scenario) {
    ReceivedSpan span = onlyLlmSpan(scenario);
    assertEquals("UNSET", span.statusCode());
    assertEquals(1L, span.longAttr("llm_otel.retry.count"));
    List<ReceivedEvent> failed = span.events("llm_otel.attempt.failed");
    assertEquals(1, failed.size(), span.events().toString());
    assertEquals(429L, failed.get(0).longAttr("http.response.status_code"));
    assertEquals("0", failed.get(0).attr("llm_otel.retry_after"));
    assertEquals(1L, failed.get(0).longAttr("llm_otel.attempt.number"));
    assertEquals(2, llm.requests(scenario).size(), "the SDK sent the request twice");
    // The usage is the answered attempt's, once.
    run.assertServedUsage(scenario, span);
    assertEquals(2, receiver.children(span).size(), "both HTTP attempts nest under the chat span");
  }

  @Test
  void exhausted503EndsTheSpanInErrorWithTheSdksExceptionType() {
    ReceivedSpan span = onlyLlmSpan("fail-503");
    String appSaw = app.results.get("fail-503");
    assertEquals("error com.openai.errors.InternalServerException", appSaw);
    assertEquals("ERROR", span.statusCode());
    assertEquals("com.openai.errors.InternalServerException", span.attr("error.type"));
    assertEquals(2L, span.longAttr("llm_otel.retry.count"));
    List<ReceivedEvent> failed = span.events("llm_otel.attempt.failed");
    assertEquals(3, failed.size());
    for (ReceivedEvent e : failed) assertEquals(503L, e.longAttr("http.response.status_code"));
    assertEquals(3, llm.requests("fail-503").size());
  }

  @Test
  void malformedResponseReachesTheAppAsTheSdksExceptionAndTheSpanRecordsIt() {
    ReceivedSpan span = onlyLlmSpan("malformed");
    String appSaw = app.results.get("malformed");
    assertTrue(appSaw.startsWith("error com.openai.errors."), appSaw);
    assertEquals("ERROR", span.statusCode());
    assertEquals(appSaw.substring("error ".length()), span.attr("error.type"));
    assertFalse(span.events("exception").isEmpty(), "the exception is recorded on the span");
  }

  @Test
  void metricsFollowGenAiSemconv() {
    if (latestMetricNames()) {
      assertLatestTokenAndDurationMetrics();
    } else {
      assertPreviousTokenAndDurationMetrics();
    }
    assertFalse(receiver.latestPoints("gen_ai.client.inference.time_to_first_chunk").isEmpty());
    // One value per chunk after the first, of every stream: as many as the streamed spans' chunks, less one each.
    long gaps = receiver.latestPoints("gen_ai.client.inference.time_per_output_chunk").stream()
        .mapToLong(ReceivedPoint::count).sum();
    long chunksAfterFirst = receiver.spans(s -> s.hasAttr("llm_otel.stream.chunks") && s.longAttr("llm_otel.stream.chunks") > 0)
        .stream().mapToLong(s -> s.longAttr("llm_otel.stream.chunks") - 1).sum();
    assertEquals(chunksAfterFirst, gaps, "time_per_output_chunk: one value per chunk after the first");
    assertTrue(receiver.latestPoints("gen_ai.client.inference.time_per_output_chunk").stream()
        .noneMatch(p -> p.attr("error.type") != null), "the streaming metrics carry no error.type");

    // The series the retry-rate and new-prompt alerts read: each retried 429 counted with its reason,
    // and every call counted by its prompt version (the template's fingerprint here: no registry).
    long retried429s = receiver.latestPoints("llm_otel.retries").stream()
        .filter(p -> "429".equals(p.attr("error.type")) && "gpt-4o-mini".equals(p.attr("gen_ai.request.model")))
        .mapToLong(ReceivedPoint::longValue).sum();
    assertEquals(2, retried429s, "retry-429 and async-retry-429 each retried once");
    List<ReceivedPoint> prompts = receiver.latestPoints("llm_otel.prompt.calls");
    assertFalse(prompts.isEmpty());
    Set<String> fingerprints = receiver.spans(s -> s.hasAttr("llm_otel.prompt.version")).stream()
        .map(s -> s.attr("llm_otel.prompt.version")).collect(Collectors.toSet());
    assertEquals(fingerprints, prompts.stream().map(p -> p.attr("llm_otel.prompt.version")).collect(Collectors.toSet()));
  }

  @Test
  void apiKeyNeverLeavesTheProcess() {
    assertTrue(receiver.totalRawBytes() > 0);
    assertFalse(receiver.rawBytesContain(API_KEY), "the API key appears in exported telemetry");
    assertFalse(receiver.rawBytesContain("Bearer "), "an auth header appears in exported telemetry");
  }

  @Test
  void contentCaptureFollowsTheSwitch() {
    ReceivedSpan sync = onlyLlmSpan("sync");
    if (!captureContent()) {
      assertFalse(receiver.rawBytesContain(SECRET_IN_PROMPT), "prompt text exported with capture off");
      assertFalse(receiver.rawBytesContain("Fake answer"), "answer text exported with capture off");
      assertNull(sync.attr("gen_ai.input.messages"));
      assertNull(sync.attr("gen_ai.output.messages"));
      assertNull(sync.attr("gen_ai.system_instructions"));
      return;
    }
    String input = sync.attr("gen_ai.input.messages");
    assertTrue(input.startsWith("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is the capital"), input);
    assertTrue(input.contains(SECRET_IN_PROMPT));
    assertTrue(sync.attr("gen_ai.system_instructions").contains("terse assistant"));
    String output = sync.attr("gen_ai.output.messages");
    assertTrue(output.contains("\"role\":\"assistant\"") && output.contains("Fake answer")
        && output.contains("\"finish_reason\":\"stop\""), output);
    // The streamed answer is reassembled from its chunks.
    assertTrue(onlyLlmSpan("stream").attr("gen_ai.output.messages").contains("Fake answer"));
    // The tool call the model asked for, with its id and name; and the tool result sent back.
    List<ReceivedSpan> tools = llmSpans("tools");
    String askTool = tools.get(0).attr("gen_ai.output.messages");
    assertTrue(askTool.contains("\"type\":\"tool_call\"") && askTool.contains("\"name\":\"get_weather\"")
        && askTool.contains("\"id\":\"call_"), askTool);
    assertTrue(tools.get(0).attr("gen_ai.tool.definitions").contains("get_weather"));
    String second = tools.get(1).attr("gen_ai.input.messages");
    assertTrue(second.contains("\"type\":\"tool_call_response\"") && second.contains("temperature_c"), second);
  }

  /** The previous conventions' names, recorded by default. */
  void assertPreviousTokenAndDurationMetrics() {
    List<ReceivedPoint> duration = receiver.latestPoints("gen_ai.client.operation.duration");
    assertFalse(duration.isEmpty());
    ReceivedPoint chat = duration.stream()
        .filter(p -> "chat".equals(p.attr("gen_ai.operation.name")) && p.attr("error.type") == null)
        .findFirst().orElseThrow(AssertionError::new);
    assertEquals("openai", chat.attr("gen_ai.provider.name"));
    assertEquals("gpt-4o-mini", chat.attr("gen_ai.request.model"));
    assertEquals(DURATION_BUCKETS, chat.explicitBounds());
    assertTrue(duration.stream().anyMatch(p -> "com.openai.errors.InternalServerException".equals(p.attr("error.type"))),
        "failed calls carry error.type on the duration metric");

    List<ReceivedPoint> tokens = receiver.latestPoints("gen_ai.client.token.usage");
    ReceivedPoint input = tokens.stream()
        .filter(p -> "input".equals(p.attr("gen_ai.token.type")) && "chat".equals(p.attr("gen_ai.operation.name")))
        .findFirst().orElseThrow(AssertionError::new);
    assertEquals(TOKEN_BUCKETS, input.explicitBounds());
    long spanInputTokens = receiver.spans(s -> "chat".equals(s.attr("gen_ai.operation.name"))
            && s.hasAttr("gen_ai.usage.input_tokens"))
        .stream().mapToLong(s -> s.longAttr("gen_ai.usage.input_tokens")).sum();
    double metricInputTokens = tokens.stream()
        .filter(p -> "input".equals(p.attr("gen_ai.token.type")) && "chat".equals(p.attr("gen_ai.operation.name")))
        .mapToDouble(ReceivedPoint::sum).sum();
    assertEquals(spanInputTokens, (long) metricInputTokens, "the metric counts what the spans report");
    assertTrue(tokens.stream().anyMatch(p -> "output".equals(p.attr("gen_ai.token.type"))));
    assertTrue(receiver.latestPoints("gen_ai.client.inference.duration").isEmpty(), "not without the opt-in");
  }

  /**
   * With otel.semconv-stability.opt-in=gen_ai_latest_experimental: inference timed by
   * gen_ai.client.inference.duration (embeddings keep gen_ai.client.operation.duration), tokens counted by the
   * gen_ai.client.inference.usage.* counters and the per-operation histograms, no token.usage histogram.
   */
  void assertLatestTokenAndDurationMetrics() {
    assertTrue(receiver.latestPoints("gen_ai.client.token.usage").isEmpty(), "the previous token histogram is gone");
    List<ReceivedPoint> inference = receiver.latestPoints("gen_ai.client.inference.duration");
    ReceivedPoint chat = inference.stream()
        .filter(p -> "chat".equals(p.attr("gen_ai.operation.name")) && p.attr("error.type") == null)
        .findFirst().orElseThrow(AssertionError::new);
    assertEquals(DURATION_BUCKETS, chat.explicitBounds());
    assertTrue(inference.stream().anyMatch(p -> "com.openai.errors.InternalServerException".equals(p.attr("error.type"))));
    List<ReceivedPoint> operation = receiver.latestPoints("gen_ai.client.operation.duration");
    assertFalse(operation.isEmpty(), "the embeddings call");
    assertTrue(operation.stream().allMatch(p -> "embeddings".equals(p.attr("gen_ai.operation.name"))), operation.toString());
    long llmSpans = receiver.spans(s -> "chat".equals(s.attr("gen_ai.operation.name"))).size();
    assertEquals(llmSpans, inference.stream().filter(p -> "chat".equals(p.attr("gen_ai.operation.name")))
        .mapToLong(ReceivedPoint::count).sum(), "one inference duration per chat span");

    long spanInputTokens = receiver.spans(s -> "chat".equals(s.attr("gen_ai.operation.name"))
            && s.hasAttr("gen_ai.usage.input_tokens"))
        .stream().mapToLong(s -> s.longAttr("gen_ai.usage.input_tokens")).sum();
    List<ReceivedPoint> counted = receiver.latestPoints("gen_ai.client.inference.usage.input_tokens");
    assertEquals(spanInputTokens, counted.stream().filter(p -> "chat".equals(p.attr("gen_ai.operation.name")))
        .mapToLong(ReceivedPoint::longValue).sum(), "the counter counts what the spans report");
    assertTrue(counted.stream().allMatch(p -> p.attr("error.type") == null && p.attr("gen_ai.token.modality") != null));
    assertTrue(counted.stream().anyMatch(p -> "text".equals(p.attr("gen_ai.token.modality"))));
    assertTrue(counted.stream().anyMatch(p -> "unknown".equals(p.attr("gen_ai.token.modality"))),
        "failed calls add 0 as unknown");
    List<ReceivedPoint> perCall = receiver.latestPoints("gen_ai.client.inference.operation.input_tokens");
    assertEquals(llmSpans, perCall.stream().filter(p -> "chat".equals(p.attr("gen_ai.operation.name")))
        .mapToLong(ReceivedPoint::count).sum(), "one value per inference operation, failed ones too");
    assertEquals(TOKEN_BUCKETS, perCall.get(0).explicitBounds());
    assertFalse(receiver.latestPoints("gen_ai.client.inference.usage.output_tokens").isEmpty());
  }
}
