package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The offline evaluation command end to end: the demo (examples/openai-agent, a tool-using assistant on
 * the OpenAI SDK) runs under the real agent in record mode; then {@code java -jar llm-otel-extension.jar
 * evaluate} (the jar alone: no agent, no OpenTelemetry API on its class path) scores the recording against
 * the fake server's judge, with and without a baseline, and its exit codes, printed table, JSON report
 * (the numbers the fake judge answered) and HTML report (opened in headless Chromium, whose layout must
 * draw every chart) are checked. The transcript tool runs from the same entry point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfflineEvaluationSmokeTest {
  static final String KEY = "sk-offline-smoke-0123456789abcdefghijklmnopqrstuv";
  static final Pattern BODY = Pattern.compile("<body data-charts=\"(\\d+)\" data-charts-drawn=\"(\\d+)\" "
      + "data-bars-drawn=\"(\\d+)\">");
  final ObjectMapper json = new ObjectMapper();
  final Path dir = Paths.get(System.getProperty("smoke.outputDir"), "offline-evaluation");
  final Path recording = dir.resolve("demo-recording.jsonl");
  List<JsonNode> records;
  FakeLlmServer judge;
  Tool baseline;

  @BeforeAll
  void recordTheDemoThenScoreIt() throws Exception {
    deleteTree(dir);
    Files.createDirectories(dir);
    Path example = Paths.get(System.getProperty("smoke.exampleDir")).toAbsolutePath().normalize();
    String classpath = example.resolve("target/classes") + File.pathSeparator
        + new String(Files.readAllBytes(example.resolve("target/classpath.txt")), StandardCharsets.UTF_8).trim();
    // The demo launcher starts its own fake LLM and passes LLM_OTEL_DEMO_JAVA_OPTS to the service's JVM.
    Tool demo = run("record-demo", Map.of("LLM_OTEL_DEMO_JAVA_OPTS",
        "-Dotel.instrumentation.llm-otel.record.file=" + recording), 240, java(), "-cp", classpath,
        "dev.llmotel.examples.agent.DemoLauncher", example.toString());
    assertEquals(0, demo.exit, demo.output);
    records = new ArrayList<>();
    for (String line : Files.readAllLines(recording, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) records.add(json.readTree(line));
    }
    // Two questions: for each a call that asks for the tool and one that answers (and one 429, retried).
    assertEquals(5, records.size(), records.toString());

    judge = FakeLlmServer.start(0);
    baseline = evaluate("baseline");
  }

  @AfterEach
  void resetJudge() {
    judge.reset();
  }

  @AfterAll
  void stop() {
    if (judge != null) judge.close();
  }

  @Test
  void scoresEveryAnswerOfTheDemosRecording() throws Exception {
    Tool run = baseline;
    assertEquals(0, run.exit, run.output);
    JsonNode report = run.report;
    JsonNode answered = records.stream().filter(r -> r.path("body").asText().contains("Fake answer using tool result"))
        .findFirst().orElseThrow();
    String workflow = answered.path("workflow").asText("(none)");
    String version = answered.path("prompt_version").asText("(none)");

    assertEquals(5, report.path("interactions").path("records").asInt());
    assertEquals(2, report.path("interactions").path("evaluated").asInt(), "the two final answers");
    assertEquals(3, report.path("interactions").path("not_scorable").asInt(), "two tool calls and a 429");
    // Each answer has the system instructions and a tool result: all three evaluators apply.
    assertEquals(6, report.path("judge_calls").path("total").asInt());
    assertEquals(6, report.path("judge_calls").path("scored").asInt());
    assertEquals(6, baselineJudgeRequests, "one judge request per evaluator and answer");
    assertEquals(3, report.path("groups").size());
    for (JsonNode g : report.path("groups")) {
      assertEquals(workflow, g.path("workflow").asText(), g.toString());
      assertEquals(version, g.path("prompt_version").asText(), g.toString());
      assertEquals(2, g.path("count").asInt(), g.toString());
      // Exactly what the fake judge answered, every time.
      assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, g.path("mean").asDouble(), g.toString());
      assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, g.path("min").asDouble(), g.toString());
      assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, g.path("p50").asDouble(), g.toString());
      assertEquals(FakeLlmServer.DEFAULT_JUDGE_SCORE, g.path("max").asDouble(), g.toString());
      assertEquals("[0,0,0,0,0,0,0,0,0,2]", g.path("histogram").toString());
    }
    for (JsonNode r : report.path("results")) {
      assertEquals("good", r.path("label").asText(), r.toString());
      assertTrue(r.path("trace_id").asText().matches("[0-9a-f]{32}"), r.toString());
    }
    for (String evaluator : List.of("relevance", "groundedness", "instruction_following")) {
      assertTrue(run.output.lines().anyMatch(l -> l.matches("\\s*" + Pattern.quote(workflow) + "\\s+"
          + Pattern.quote(version) + "\\s+" + evaluator + "\\s+2\\s+0\\.900\\s+0\\.900\\s+0\\.900\\s+0\\.900\\s+0\\s+0\\s+0")),
          evaluator + " in the table:\n" + run.output);
    }
    assertTrue(run.output.contains("OK: scored; no baseline to compare with"), run.output);

    // The judge read the demo's own question and answer, with the key from OPENAI_API_KEY, never shown.
    assertFalse(run.output.contains(KEY), "the API key is never printed");
    assertFalse(Files.readString(run.out.resolve("evaluation-report.json")).contains(KEY));
    assertFalse(Files.readString(run.out.resolve("evaluation-report.html")).contains(KEY));

    // The HTML report in a real browser: every chart laid out, every non-empty bar with a height.
    int[] drawn = chromium(run.out.resolve("evaluation-report.html"));
    assertEquals(6, drawn[0], "a chart per group and per workflow total");
    assertEquals(6, drawn[1], "charts drawn");
    assertEquals(6, drawn[2], "one non-empty bucket per chart, each drawn");
  }

  int baselineJudgeRequests;

  @Test
  void aLowerMeanThanTheBaselinesFailsWithTheRegressionNamed() throws Exception {
    judge.scriptJudge("Evaluator: relevance.", Behaviour.verdict(0.3, "poor", "Off topic"), 0);
    Tool run = evaluate("regression", "--baseline", baselineFile(), "--max-drop", "0.1");
    assertEquals(1, run.exit, run.output);
    String workflow = baseline.report.path("workflows").get(0).path("workflow").asText();
    assertTrue(run.output.contains("REGRESSION: workflow " + workflow + ", evaluator relevance: mean 0.300, "
        + "baseline 0.900, dropped 0.600 (more than --max-drop 0.100)"), run.output);
    assertTrue(run.output.contains("1 regression(s) against the baseline; exit 1"), run.output);
    JsonNode b = run.report.path("baseline");
    assertEquals(1, b.path("regressions").asInt());
    for (JsonNode c : b.path("comparisons")) {
      boolean relevance = c.path("evaluator").asText().equals("relevance");
      assertEquals(relevance ? "regression" : "ok", c.path("status").asText(), c.toString());
      assertEquals(relevance ? 0.3 : 0.9, c.path("mean").asDouble(), c.toString());
      assertEquals(0.9, c.path("baseline_mean").asDouble(), c.toString());
    }
    assertEquals(1, run.report.path("exit_code").asInt());
    int[] drawn = chromium(run.out.resolve("evaluation-report.html"));
    assertEquals(drawn[0], drawn[1], "every chart drawn");
  }

  @Test
  void aDropWithinTheAllowedDropPasses() throws Exception {
    judge.scriptJudge("Evaluator: relevance.", Behaviour.verdict(0.85, "good", "Mostly"), 0);
    Tool run = evaluate("within", "--baseline", baselineFile(), "--max-drop", "0.1");
    assertEquals(0, run.exit, run.output);
    assertTrue(run.output.contains("OK: no mean score dropped by more than 0.100 against the baseline"), run.output);
    for (JsonNode c : run.report.path("baseline").path("comparisons")) {
      boolean relevance = c.path("evaluator").asText().equals("relevance");
      assertEquals(relevance ? 0.05 : 0.0, c.path("drop").asDouble(), 1e-9, c.toString());
      assertEquals("ok", c.path("status").asText(), c.toString());
    }
  }

  @Test
  void someJudgeFailuresAreCountedAndAllFailingIsExitThree() throws Exception {
    judge.scriptJudge("Evaluator: groundedness.", Behaviour.answerText("not json"), 0);
    Tool partly = evaluate("partly-failed", "--baseline", baselineFile());
    assertEquals(0, partly.exit, partly.output);
    assertEquals(2, partly.report.path("judge_calls").path("failures").path("judge_invalid").asInt());
    assertEquals(4, partly.report.path("judge_calls").path("scored").asInt());
    assertTrue(partly.output.contains("WARNING: 2 of 6 judge call(s) failed {judge_invalid=2}"), partly.output);
    assertTrue(partly.output.lines().anyMatch(l -> l.matches("\\s*\\S+\\s+groundedness\\s+0\\.900 \\(n=2\\)\\s+- \\(n=0\\)\\s+-\\s+missing")),
        "groundedness has no score now: " + partly.output);

    judge.reset();
    judge.scriptJudge("Evaluator:", Behaviour.error(500), 0);
    Tool failed = evaluate("all-failed");
    assertEquals(3, failed.exit, failed.output);
    assertTrue(failed.output.contains("NOTHING SCORED"), failed.output);
    assertEquals(6, failed.report.path("judge_calls").path("failures").path("judge_error").asInt());
  }

  @Test
  void usageErrorsAreExitTwo() throws Exception {
    int before = judgeRequests().size();
    String jar = System.getProperty("smoke.extensionJar");
    Tool none = run("cli-none", Map.of(), 60, java(), "-jar", jar);
    assertEquals(2, none.exit, none.output);
    assertTrue(none.output.contains("usage: java -jar llm-otel-extension.jar COMMAND"), none.output);
    Tool unknown = run("cli-unknown", Map.of(), 60, java(), "-jar", jar, "judge");
    assertEquals(2, unknown.exit, unknown.output);
    Tool noModel = run("cli-no-model", Map.of(), 60, java(), "-jar", jar, "evaluate", recording.toString(),
        "--judge-base-url", judge.baseUrl() + "/v1", "--out", dir.resolve("x").toString());
    assertEquals(2, noModel.exit, noModel.output);
    assertTrue(noModel.output.contains("--judge-model is required"), noModel.output);
    Tool missing = run("cli-missing", Map.of(), 60, java(), "-jar", jar, "evaluate",
        dir.resolve("no-such.jsonl").toString(), "--judge-base-url", judge.baseUrl() + "/v1", "--judge-model", "m",
        "--out", dir.resolve("x").toString());
    assertEquals(2, missing.exit, missing.output);
    assertTrue(missing.output.contains("cannot read the recording"), missing.output);
    assertEquals(before, judgeRequests().size(), "no judge call for a bad command line");
  }

  @Test
  void theTranscriptRunsFromTheSameEntryPoint() throws Exception {
    Tool transcript = run("cli-transcript", Map.of(), 60, java(), "-jar", System.getProperty("smoke.extensionJar"),
        "transcript", recording.toString());
    assertEquals(0, transcript.exit, transcript.output);
    assertTrue(transcript.output.contains("assistant asks for tool(s) [get_weather]"), transcript.output);
    assertTrue(transcript.output.contains("< assistant: Fake answer using tool result"), transcript.output);
  }

  // --- helpers ---

  /** The command's result: exit code, output (stdout and stderr), and its reports when written. */
  static final class Tool {
    int exit;
    String output;
    Path out;
    JsonNode report;
  }

  /** {@code java -jar llm-otel-extension.jar evaluate} on the demo's recording, the fake judge, OPENAI_API_KEY set. */
  Tool evaluate(String name, String... more) throws Exception {
    Path out = dir.resolve(name);
    List<String> command = new ArrayList<>(List.of(java(), "-jar", System.getProperty("smoke.extensionJar"),
        "evaluate", recording.toString(), "--judge-base-url", judge.baseUrl() + "/v1", "--judge-model", "gpt-4o-mini",
        "--out", out.toString()));
    command.addAll(Arrays.asList(more));
    int before = judgeRequests().size();
    Tool t = run("evaluate-" + name, Map.of("OPENAI_API_KEY", KEY), 120, command.toArray(new String[0]));
    t.out = out;
    Path report = out.resolve("evaluation-report.json");
    if (Files.exists(report)) t.report = json.readTree(report.toFile());
    List<RecordedRequest> all = judgeRequests();
    List<RecordedRequest> requests = all.subList(before, all.size());
    for (RecordedRequest r : requests) assertEquals("Bearer " + KEY, r.header("authorization"));
    if (name.equals("baseline")) {
      baselineJudgeRequests = requests.size();
      assertTrue(requests.stream().anyMatch(r -> r.body().contains("What is the weather in Paris?")
          && r.body().contains("Fake answer using tool result")), "the judge reads the demo's question and answer");
    }
    return t;
  }

  String baselineFile() {
    return baseline.out.resolve("evaluation-report.json").toString();
  }

  List<RecordedRequest> judgeRequests() {
    return judge.requests().stream().filter(r -> r.body().contains(FakeLlmServer.JUDGE_SCHEMA))
        .collect(Collectors.toList());
  }

  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs a command to its end in an environment without OPENAI_API_KEY unless given; output in NAME.log. */
  Tool run(String name, Map<String, String> env, int timeoutSeconds, String... command) throws Exception {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("OPENAI_API_KEY");
    pb.environment().remove("OTEL_EXPORTER_OTLP_ENDPOINT");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " did not finish in " + timeoutSeconds + " s; log: " + log);
    }
    Tool t = new Tool();
    t.exit = p.exitValue();
    t.output = Files.readString(log);
    System.out.println("=== " + name + " (exit " + t.exit + ")\n" + t.output);
    return t;
  }

  /**
   * Opens the report in headless Chromium (Debian's package; .ci/run installs it) and returns what the
   * report's self-check wrote on its body after layout: {charts, charts drawn, bars drawn}.
   */
  int[] chromium(Path html) throws Exception {
    Path chromium = Paths.get(System.getProperty("smoke.chromium", "/usr/bin/chromium"));
    assertTrue(Files.isExecutable(chromium), chromium + " is missing: install Debian's chromium package "
        + "(.ci/run does: apt-get install -y chromium)");
    Path profile = Files.createTempDirectory("llm-otel-chromium-");
    Path dom = dir.resolve(html.getParent().getFileName() + "-dom.html");
    Path log = dir.resolve(html.getParent().getFileName() + "-chromium.log");
    try {
      Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--user-data-dir=" + profile, "--dump-dom", html.toUri().toString())
          .redirectOutput(dom.toFile()).redirectError(log.toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("Chromium did not finish in 90 s; log: " + log);
      }
      assertEquals(0, p.exitValue(), "Chromium failed: " + Files.readString(log));
    } finally {
      deleteTree(profile);
    }
    String rendered = Files.readString(dom);
    Matcher m = BODY.matcher(rendered);
    assertTrue(m.find(), "the report's self-check ran in Chromium and marked the body: " + rendered.substring(0,
        Math.min(2000, rendered.length())));
    assertTrue(Integer.parseInt(m.group(1)) > 0, "charts in the report");
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
  }

  static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) return;
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    }
  }
}
