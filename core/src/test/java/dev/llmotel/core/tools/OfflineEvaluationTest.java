package dev.llmotel.core.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline evaluation command against the fake server's judge, on hand-written record-mode files:
 * what is scored and what is not, the aggregates per workflow, prompt version and evaluator, judge
 * failures by result, the baseline gate and its exit codes, usage errors, and the API key never shown.
 */
class OfflineEvaluationTest {
  static final String SYSTEM = "You are a weather assistant. Answer in one sentence.";
  static final String KEY = "sk-offline-test-0123456789abcdefghijklmnop";

  @TempDir Path dir;
  FakeLlmServer judge;

  @BeforeEach
  void start() {
    judge = FakeLlmServer.start(0);
  }

  @AfterEach
  void stop() {
    judge.close();
  }

  /** A record of an OpenAI chat call as record mode writes it. */
  static String record(String workflow, String promptVersion, String system, String question, String tool,
      String answer) {
    List<Object> messages = new ArrayList<>();
    if (system != null) messages.add(map("role", "system", "content", system));
    messages.add(map("role", "user", "content", question));
    if (tool != null) {
      messages.add(map("role", "assistant", "content", null, "tool_calls", List.of(map("id", "call_1", "type",
          "function", "function", map("name", "get_weather", "arguments", "{\"city\":\"Paris\"}")))));
      messages.add(map("role", "tool", "tool_call_id", "call_1", "content", tool));
    }
    Map<String, Object> body = map("id", "chatcmpl-1", "object", "chat.completion", "model", "gpt-4o-mini-2024-07-18",
        "choices", List.of(map("index", 0L, "message", map("role", "assistant", "content", answer),
            "finish_reason", "stop")),
        "usage", map("prompt_tokens", 20L, "completion_tokens", 5L, "total_tokens", 25L));
    Map<String, Object> r = map("v", 1L, "trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331",
        "provider", "openai", "operation", "chat", "format", "openai-chat", "model", "gpt-4o-mini",
        "path", "/v1/chat/completions", "request", Json.write(map("model", "gpt-4o-mini", "messages", messages)));
    if (workflow != null) r.put("workflow", workflow);
    if (promptVersion != null) r.put("prompt_version", promptVersion);
    r.put("status", 200L);
    r.put("body", Json.write(body));
    return Json.write(r);
  }

  /** A record whose answer is a tool call: nothing to score. */
  static String toolCallRecord() {
    Map<String, Object> body = map("id", "chatcmpl-2", "object", "chat.completion", "model", "gpt-4o-mini",
        "choices", List.of(map("index", 0L, "message", map("role", "assistant", "content", null, "tool_calls",
            List.of(map("id", "call_1", "type", "function", "function", map("name", "get_weather", "arguments",
                "{\"city\":\"Paris\"}")))), "finish_reason", "tool_calls")));
    return Json.write(map("provider", "openai", "operation", "chat", "format", "openai-chat", "model", "gpt-4o-mini",
        "path", "/v1/chat/completions", "request", Json.write(map("model", "gpt-4o-mini", "messages",
            List.of(map("role", "user", "content", "What is the weather in Paris?")))), "workflow", "weather",
        "status", 200L, "body", Json.write(body)));
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  Path recording(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** The usual recording: workflow weather at two prompt versions, one call with no workflow, and lines not to score. */
  Path weather() throws Exception {
    return recording("weather.jsonl",
        record("weather", "v1", SYSTEM, "What is the weather in Paris?", "{\"forecast\":\"light rain\"}",
            "Light rain in Paris."),
        record("weather", "v1", SYSTEM, "Q-LOW Should I take an umbrella?", "{\"forecast\":\"light rain\"}",
            "Bananas are yellow."),
        record("weather", "v2", SYSTEM, "And tomorrow in Rome?", "{\"forecast\":\"sun\"}", "Sunny in Rome."),
        record(null, null, null, "Tell me a joke", null, "Why did the chicken cross the road?"),
        toolCallRecord(),
        "this line is not JSON",
        errorRecord());
  }

  /** A call the provider failed (HTTP 500): nothing to score. */
  static String errorRecord() {
    return Json.write(map("provider", "openai", "operation", "chat", "format", "openai-chat", "model", "gpt-4o-mini",
        "path", "/v1/chat/completions", "request", Json.write(map("model", "gpt-4o-mini", "messages",
            List.of(map("role", "user", "content", "Error?")))), "workflow", "weather", "prompt_version", "v1",
        "status", 500L, "body", "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));
  }

  static final class Run {
    int exit;
    String out;
    String err;
    Map<?, ?> report;
    String html;
  }

  Run run(Map<String, String> env, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Run r = new Run();
    r.exit = EvaluateCommand.run(args, env, new PrintStream(out, true, "UTF-8"), new PrintStream(err, true, "UTF-8"));
    r.out = out.toString("UTF-8");
    r.err = err.toString("UTF-8");
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--out")) {
        Path json = Path.of(args[i + 1], EvaluationReport.JSON_FILE);
        if (Files.exists(json)) r.report = (Map<?, ?>) Json.parse(Files.readString(json));
        Path html = Path.of(args[i + 1], EvaluationReport.HTML_FILE);
        if (Files.exists(html)) r.html = Files.readString(html);
      }
    }
    return r;
  }

  Run evaluate(Path recording, String out, String... more) throws Exception {
    List<String> args = new ArrayList<>(Arrays.asList(recording.toString(), "--judge-base-url", judge.baseUrl() + "/v1",
        "--judge-model", "gpt-4o-mini", "--out", dir.resolve(out).toString()));
    args.addAll(Arrays.asList(more));
    return run(Map.of(), args.toArray(new String[0]));
  }

  static Map<?, ?> group(Map<?, ?> report, String list, String workflow, String version, String evaluator) {
    for (Object o : (List<?>) report.get(list)) {
      Map<?, ?> g = (Map<?, ?>) o;
      if (g.get("workflow").equals(workflow) && g.get("evaluator").equals(evaluator)
          && (version == null || version.equals(g.get("prompt_version")))) {
        return g;
      }
    }
    throw new AssertionError("no " + list + " entry " + workflow + "/" + version + "/" + evaluator + " in " + report);
  }

  static double d(Object o) {
    return ((Number) o).doubleValue();
  }

  static long l(Object o) {
    return ((Number) o).longValue();
  }

  List<RecordedRequest> judgeRequests() {
    return judge.requests().stream().filter(r -> r.body().contains(FakeLlmServer.JUDGE_SCHEMA))
        .collect(Collectors.toList());
  }

  @Test
  void scoresEveryAnswerPerWorkflowPromptVersionAndEvaluator() throws Exception {
    judge.scriptJudge("Q-LOW", Behaviour.verdict(0.3, "poor", "Off topic"), 0);
    Run r = evaluate(weather(), "out");
    assertEquals(0, r.exit, r.out + r.err);
    Map<?, ?> report = r.report;
    assertEquals("llm-otel-evaluation-report", report.get("format"));
    Map<?, ?> interactions = (Map<?, ?>) report.get("interactions");
    assertEquals(7L, l(interactions.get("records")));
    assertEquals(4L, l(interactions.get("evaluated")));
    assertEquals(2L, l(interactions.get("not_scorable")), "the tool call and the error");
    assertEquals(1L, l(interactions.get("unreadable")));
    // 3 evaluators on each weather answer (it has instructions and a tool result), relevance only on the joke.
    assertEquals(10, judgeRequests().size());
    Map<?, ?> calls = (Map<?, ?>) report.get("judge_calls");
    assertEquals(10L, l(calls.get("scored")));
    assertEquals(0L, l(calls.get("failed")));
    assertTrue(l(calls.get("input_tokens")) > 0, calls.toString());

    Map<?, ?> v1 = group(report, "groups", "weather", "v1", "relevance");
    assertEquals(2L, l(v1.get("count")));
    assertEquals(0.6, d(v1.get("mean")), 1e-9);
    assertEquals(0.3, d(v1.get("min")));
    assertEquals(0.3, d(v1.get("p50")), "nearest rank of two: the lower");
    assertEquals(0.9, d(v1.get("max")));
    assertEquals(1L, l(v1.get("below_threshold")));
    assertEquals(List.of(0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0), v1.get("histogram"), "JSON numbers");
    Map<?, ?> v2 = group(report, "groups", "weather", "v2", "groundedness");
    assertEquals(1L, l(v2.get("count")));
    assertEquals(0.9, d(v2.get("mean")));
    Map<?, ?> none = group(report, "groups", "(none)", "(none)", "relevance");
    assertEquals(1L, l(none.get("count")));
    Map<?, ?> noneGrounded = group(report, "groups", "(none)", "(none)", "groundedness");
    assertEquals(0L, l(noneGrounded.get("count")));
    assertNull(noneGrounded.get("mean"));
    assertEquals(1L, l(noneGrounded.get("not_applicable")), "no sources to be grounded in");
    assertEquals(1L, l(group(report, "groups", "(none)", "(none)", "instruction_following").get("not_applicable")));

    Map<?, ?> total = group(report, "workflows", "weather", null, "relevance");
    assertEquals(3L, l(total.get("count")));
    assertEquals(0.7, d(total.get("mean")), 1e-9);
    assertEquals(0.9, d(total.get("p50")));

    // The results carry the trace of each interaction and the judge's words.
    List<?> results = (List<?>) report.get("results");
    assertEquals(10, results.size());
    Map<?, ?> low = (Map<?, ?>) results.stream().filter(o -> Double.valueOf(0.3).equals(((Map<?, ?>) o).get("score")))
        .findFirst().orElseThrow();
    assertEquals("Off topic", low.get("explanation"));
    assertEquals("0af7651916cd43dd8448eb211c80319c", low.get("trace_id"));

    // The printed table: one line per group, the means as the report has them.
    assertTrue(r.out.contains("By workflow, prompt version and evaluator:"), r.out);
    assertTrue(r.out.lines().anyMatch(l -> l.matches("\\s*weather\\s+v1\\s+relevance\\s+2\\s+0\\.600\\s+0\\.300\\s+"
        + "0\\.300\\s+0\\.900\\s+1\\s+0\\s+0")), r.out);
    assertTrue(r.out.lines().anyMatch(l -> l.matches("\\s*weather\\s+relevance\\s+3\\s+0\\.700.*")), r.out);
    assertTrue(r.out.contains("OK: scored; no baseline to compare with"), r.out);
    assertTrue(r.html.contains("<svg class=\"chart group\""), "charts drawn as inline SVG");
  }

  @Test
  void judgeFailuresAreCountedByResultAndDoNotFailTheRun() throws Exception {
    judge.scriptJudge("Evaluator: groundedness.", Behaviour.answerText("not json"), 0);
    judge.scriptJudge("Evaluator: instruction_following.", Behaviour.error(500), 0);
    judge.scriptJudge("Q-LOW", Behaviour.verdict(0.9, "good", "slow"), 1500);
    Run r = evaluate(weather(), "out", "--timeout-ms", "300", "--concurrency", "2");
    assertEquals(0, r.exit, r.out + r.err);
    Map<?, ?> failures = (Map<?, ?>) ((Map<?, ?>) r.report.get("judge_calls")).get("failures");
    // Q-LOW matches the relevance call only (the others are matched first by their evaluator's rule).
    assertEquals(Map.of("judge_error", 3.0, "judge_invalid", 3.0, "judge_timeout", 1.0), failures);
    Map<?, ?> grounded = group(r.report, "groups", "weather", "v1", "groundedness");
    assertEquals(0L, l(grounded.get("count")));
    assertEquals(Map.of("judge_invalid", 2.0), grounded.get("failures"));
    Map<?, ?> relevance = group(r.report, "groups", "weather", "v1", "relevance");
    assertEquals(1L, l(relevance.get("count")));
    assertEquals(Map.of("judge_timeout", 1.0), relevance.get("failures"));
    assertTrue(r.out.contains("judge_invalid=3"), r.out);
    assertTrue(r.out.contains("WARNING: 7 of 10 judge call(s) failed"), r.out);
    assertTrue(r.html.contains("Judge failures"), "failures listed in the HTML report");
  }

  @Test
  void nothingScoredIsExitThree() throws Exception {
    judge.scriptJudge("Evaluator:", Behaviour.error(503), 0);
    Run r = evaluate(weather(), "out");
    assertEquals(3, r.exit, r.out + r.err);
    assertTrue(r.out.contains("NOTHING SCORED"), r.out);
    assertEquals(3L, l(r.report.get("exit_code")));
    assertEquals(0L, l(((Map<?, ?>) r.report.get("judge_calls")).get("scored")));
    assertTrue(r.html.contains("Nothing scored"), "the reports are still written");
  }

  @Test
  void aBaselineGatesOnTheDropOfEachWorkflowsMean() throws Exception {
    Path recording = weather();
    Run base = evaluate(recording, "base");
    assertEquals(0, base.exit, base.out + base.err);
    String baseline = dir.resolve("base").resolve(EvaluationReport.JSON_FILE).toString();

    // Relevance drops from 0.9 to 0.3 for every answer: a regression of workflow weather (and of (none)).
    judge.scriptJudge("Evaluator: relevance.", Behaviour.verdict(0.3, "poor", "Worse"), 0);
    Run worse = evaluate(recording, "worse", "--baseline", baseline);
    assertEquals(1, worse.exit, worse.out + worse.err);
    assertTrue(worse.out.contains("REGRESSION: workflow weather, evaluator relevance: mean 0.300, baseline 0.900, "
        + "dropped 0.600 (more than --max-drop 0.100)"), worse.out);
    assertTrue(worse.out.contains("2 regression(s) against the baseline; exit 1"), worse.out);
    Map<?, ?> b = (Map<?, ?>) worse.report.get("baseline");
    assertEquals(2L, l(b.get("regressions")));
    for (Object o : (List<?>) b.get("comparisons")) {
      Map<?, ?> c = (Map<?, ?>) o;
      if (c.get("evaluator").equals("relevance")) {
        assertEquals("regression", c.get("status"), c.toString());
        assertEquals(0.6, d(c.get("drop")), 1e-9);
      } else {
        assertEquals("ok", c.get("status"), c.toString());
      }
    }
    assertTrue(worse.html.contains("class=\"regression\""), "the regression is marked in the HTML report");

    // Within the allowed drop: 0.9 to 0.8 is a drop of exactly 0.1, which the default allows.
    judge.reset();
    judge.scriptJudge("Evaluator: relevance.", Behaviour.verdict(0.8, "ok", "Fine"), 0);
    Run within = evaluate(recording, "within", "--baseline", baseline);
    assertEquals(0, within.exit, within.out + within.err);
    assertTrue(within.out.contains("OK: no mean score dropped by more than 0.100 against the baseline"), within.out);
    // The same drop against a stricter gate fails.
    Run strict = evaluate(recording, "strict", "--baseline", baseline, "--max-drop=0.05");
    assertEquals(1, strict.exit, strict.out);
  }

  @Test
  void workflowsNewOrMissingAgainstTheBaselineAreShownNotFailed() throws Exception {
    Run base = evaluate(recording("a.jsonl", record("old", "v1", SYSTEM, "Q?", null, "A.")), "base");
    assertEquals(0, base.exit, base.err);
    Run now = evaluate(recording("b.jsonl", record("new", "v1", SYSTEM, "Q?", null, "A.")), "now", "--baseline",
        dir.resolve("base").resolve(EvaluationReport.JSON_FILE).toString());
    assertEquals(0, now.exit, now.out);
    assertTrue(now.out.contains("WARNING: 2 workflow and evaluator pair(s) scored in the baseline have no score now"),
        now.out);
    List<String> statuses = ((List<?>) ((Map<?, ?>) now.report.get("baseline")).get("comparisons")).stream()
        .map(o -> ((Map<?, ?>) o).get("workflow") + ":" + ((Map<?, ?>) o).get("evaluator") + ":"
            + ((Map<?, ?>) o).get("status"))
        .collect(Collectors.toList());
    // Groundedness had no score on either side (no sources): nothing to compare, no row.
    assertEquals(List.of("old:relevance:missing", "old:instruction_following:missing", "new:relevance:new",
        "new:instruction_following:new"), statuses);
  }

  @Test
  void theApiKeyIsSentButNeverShown() throws Exception {
    Path recording = weather();
    String[] args = {recording.toString(), "--judge-base-url", judge.baseUrl() + "/v1", "--judge-model", "gpt-4o-mini",
        "--out", dir.resolve("out").toString(), "--evaluators", "relevance"};
    Run r = run(Map.of("OPENAI_API_KEY", KEY), args);
    assertEquals(0, r.exit, r.err);
    for (RecordedRequest q : judgeRequests()) assertEquals("Bearer " + KEY, q.header("authorization"));
    assertFalse(r.out.contains(KEY) || r.err.contains(KEY));
    assertFalse(Json.write(r.report).contains(KEY));
    assertFalse(r.html.contains(KEY));

    judge.reset();
    List<String> named = new ArrayList<>(Arrays.asList(args));
    named.addAll(List.of("--judge-api-key-env", "JUDGE_KEY"));
    Run r2 = run(Map.of("OPENAI_API_KEY", "sk-other", "JUDGE_KEY", KEY + "2"), named.toArray(new String[0]));
    assertEquals(0, r2.exit, r2.err);
    for (RecordedRequest q : judgeRequests()) assertEquals("Bearer " + KEY + "2", q.header("authorization"));

    Run missing = run(Map.of(), named.toArray(new String[0]));
    assertEquals(2, missing.exit);
    assertTrue(missing.err.contains("--judge-api-key-env names JUDGE_KEY, which is not set"), missing.err);
  }

  @Test
  void usageErrorsAndUnreadableInputAreExitTwo() throws Exception {
    Path recording = weather();
    String url = judge.baseUrl() + "/v1";
    String out = dir.resolve("out").toString();
    Path notReport = recording("not-a-report.json", "{\"hello\": 1}");
    String[][] bad = {
        {},
        {recording.toString(), "--judge-model", "m", "--out", out},
        {recording.toString(), "--judge-base-url", url, "--out", out},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m"},
        {recording.toString(), "--judge-base-url", "ftp://x", "--judge-model", "m", "--out", out},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--evaluators", "tone"},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--max-drop", "2"},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--concurrency", "0"},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--bogus", "1"},
        {dir.resolve("missing.jsonl").toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--baseline",
            notReport.toString()},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--baseline",
            dir.resolve("missing.json").toString()},
        {recording.toString(), "--judge-base-url", url, "--judge-model", "m", "--out", out, "--rubrics",
            notReport.toString()},
        {recording("tools-only.jsonl", toolCallRecord()).toString(), "--judge-base-url", url, "--judge-model", "m",
            "--out", out},
    };
    for (String[] args : bad) {
      Run r = run(Map.of(), args);
      assertEquals(2, r.exit, Arrays.toString(args) + ": " + r.out + r.err);
      assertTrue(r.err.startsWith("llm-otel evaluate: "), r.err);
    }
    assertEquals(List.of(), judgeRequests(), "no judge call for a bad command line");
    Run tone = run(Map.of(), bad[5]);
    assertTrue(tone.err.contains("unknown evaluator \"tone\""), tone.err);
  }

  @Test
  void rubricFileEvaluatorsRunByDefault() throws Exception {
    Path rubrics = recording("rubrics.json", "{\"evaluators\": {\"tone\": {\"rubric\": \"Tone: polite?\", "
        + "\"threshold\": 0.7}}}");
    judge.scriptJudge("Evaluator: tone.", Behaviour.verdict(0.65, "meh", "Curt"), 0);
    Run r = evaluate(recording("one.jsonl", record("w", "v1", SYSTEM, "Q?", null, "A.")), "out", "--rubrics",
        rubrics.toString());
    assertEquals(0, r.exit, r.err);
    Map<?, ?> tone = group(r.report, "groups", "w", "v1", "tone");
    assertEquals(0.65, d(tone.get("mean")));
    assertEquals(0.7, d(tone.get("threshold")));
    assertEquals(1L, l(tone.get("below_threshold")));
    Run only = evaluate(recording("one.jsonl", record("w", "v1", SYSTEM, "Q?", null, "A.")), "only", "--rubrics",
        rubrics.toString(), "--evaluators", "tone");
    assertEquals(1, ((List<?>) only.report.get("groups")).size());
  }

  @Test
  void textFromTheRecordingIsEscapedInTheHtmlAndCleanedInTheTerminal() throws Exception {
    String workflow = "<script>alert(1)</script>\u001b[31m";
    judge.scriptJudge("Evaluator: relevance.", Behaviour.verdict(0.2, "bad", "<img src=x onerror=alert(2)>"), 0);
    Run r = evaluate(recording("x.jsonl", record(workflow, "v'\"1", SYSTEM, "Q?", null, "A.")), "out");
    assertEquals(0, r.exit, r.err);
    assertFalse(r.html.contains("<script>alert"), "no script from the recording");
    assertFalse(r.html.contains("<img"), "no markup from the judge");
    assertTrue(r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assertTrue(r.html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assertTrue(r.html.contains("v&#39;&quot;1"));
    assertEquals(1, r.html.split("<script>", -1).length - 1, "the one script is the self-check");
    assertTrue(r.html.contains("script-src '" + HtmlReport.sha256(HtmlReport.SELF_CHECK) + "'"),
        "the page's policy allows that script only");
    assertFalse(r.out.contains("\u001b"), "no escape sequence reaches the terminal");
    assertEquals(workflow, group(r.report, "groups", workflow, null, "relevance").get("workflow"),
        "the JSON report keeps the text as it is");
  }

  @Test
  void statsByNearestRankAndBuckets() {
    ScoreStats s = new ScoreStats();
    for (double v : new double[] {1.0, 0.0, 0.3, 0.7, 0.6, 0.95, 0.1}) s.add(v, 0.5);
    assertEquals(7, s.count());
    assertEquals(0.6, s.p50());
    assertEquals(0.0, s.min());
    assertEquals(1.0, s.max());
    assertEquals(3, s.belowThreshold());
    assertArrayEqualsList(List.of(1, 1, 0, 1, 0, 0, 1, 1, 0, 2), s.histogram());
    assertNull(new ScoreStats().mean());
    assertEquals(3, ScoreStats.bucket(0.3));
    assertEquals(9, ScoreStats.bucket(1.0));
  }

  private static void assertArrayEqualsList(List<Integer> expected, int[] actual) {
    assertEquals(expected, Arrays.stream(actual).boxed().collect(Collectors.toList()));
  }
}
