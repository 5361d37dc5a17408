package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Grafana dashboard and the Prometheus alert rules in examples/observability read metrics the
 * extension really exports: a plain-HTTP app runs calls of every kind under the agent (JSON and
 * streams, a retried 429, policies in monitor mode, online evaluation by the fake server's judge) with
 * the agent's own Prometheus exporter on, and the app scrapes it before it exits (once the judge's
 * verdicts are in it); every {@code gen_ai_*} and {@code llm_otel_*} name the
 * dashboard, the rules and their unit tests use must be a series or a label of that export. Then
 * the examples' own checker runs: promtool on the rules, their unit tests, the Prometheus config and
 * every dashboard query, and the compose and collector files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAndAlertsSmokeTest {
  static final Pattern NAME = Pattern.compile("\\b(?:gen_ai|llm_otel)_[a-zA-Z0-9_]+\\b");
  /**
   * What online evaluation exports once the judge has answered: a score, a judge answer out of its schema,
   * an escalation for a low score, and the judge's own calls (workflow llm_otel.evaluation). The app waits
   * for them before its scrape ("await-metrics").
   */
  static final List<String> EVALUATION_SERIES = List.of("llm_otel_evaluation_result=\"scored\"",
      "llm_otel_evaluation_result=\"judge_invalid\"", "llm_otel_escalation_reason=\"evaluation\"",
      "llm_otel_workflow=\"llm_otel.evaluation\"");

  final Path observability = Paths.get(System.getProperty("smoke.exampleDir"), "..", "observability")
      .toAbsolutePath().normalize();
  SmokeRun run;
  Path export;

  @BeforeAll
  void runAppWithThePrometheusExporter() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // A shared governance store on a port where nothing listens: the replica runs on its local fallback,
    // so the store-health gauge the dashboard and LlmGovernanceStoreFallback read is in the export.
    int noRedis;
    try (ServerSocket s = new ServerSocket(0)) {
      noRedis = s.getLocalPort();
    }
    export = Paths.get(System.getProperty("smoke.outputDir"), "prometheus-export.txt");
    Files.deleteIfExists(export);
    run = new SmokeRun();
    run.llm.script("retried-429", Behaviour.error(429, "0"));
    // A structured answer in the wrong structure: the validation and escalation series the output row reads.
    run.llm.script("out-chat-wrong", Behaviour.answerText("{\"town\":\"Paris\"}"));
    // Online evaluation: every chat answer goes to the fake server's judge, which scores 0.9 unless told
    // otherwise. The system-prompted call's instruction_following gets 0.2 (under the 0.5 threshold: an
    // escalation with reason evaluation); the capital question gets prose (judge_invalid).
    run.llm.scriptJudge("Evaluator: instruction_following.", Behaviour.verdict(0.2, "poor", "Too vague"), 0);
    run.llm.scriptJudge("What is the capital of France?", Behaviour.answerText("not json"), 0);
    run.launchApp("prometheus-export", "java-http-client-app", "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
        System.getProperty("java.home"), Map.ofEntries(
            Map.entry("otel.metrics.exporter", "otlp,prometheus"),
            Map.entry("otel.exporter.prometheus.port", String.valueOf(port)),
            Map.entry("smoke.prometheus.dump", export.toString()),
            // Every call over a tiny input budget: the policy metric gets its "would_refuse" series.
            Map.entry("otel.instrumentation.llm-otel.input-tokens.mode", "monitor"),
            Map.entry("otel.instrumentation.llm-otel.input-tokens.max", "1"),
            // A limit the store decides (the input-token limit is decided without it), on that unreachable store.
            Map.entry("otel.instrumentation.llm-otel.rate-limit.mode", "monitor"),
            Map.entry("otel.instrumentation.llm-otel.rate-limit.calls-per-minute", "1000"),
            Map.entry("otel.instrumentation.llm-otel.governance.store", "redis://127.0.0.1:" + noRedis),
            // A named prompt version, as a registry gives it: the series get llm_otel_prompt_name.
            Map.entry("otel.instrumentation.llm-otel.prompt-registry", GovernanceFiles.write("prompts-support.json",
                "{\"prompts\": [{\"system_pattern\": \"support assistant\", \"name\": \"support\", \"version\": \"3\"}]}")
                .toString()),
            // Online evaluation of every call by the fake server's judge (it POSTs to {base-url}/chat/completions):
            // the score, evaluation and escalation series the "Evaluation (LLM judge)" row and the quality rules read.
            Map.entry("otel.instrumentation.llm-otel.evaluation.judge.base-url", run.llm.baseUrl() + "/v1"),
            Map.entry("otel.instrumentation.llm-otel.evaluation.judge.model", "gpt-4o-mini"),
            Map.entry("otel.instrumentation.llm-otel.evaluation.sample-rate", "1"),
            Map.entry("smoke.await-metrics", String.join("|", EVALUATION_SERIES))),
        List.of("chat", "chat-system", "chat-stream", "retried-429", "embeddings", "anthropic", "gemini-stream",
            "out-chat-valid", "out-chat-wrong", "await-metrics"));
  }

  /**
   * A staging service in a chaos drill (a LangChain4j agent whose tool calls the app's backend, the
   * multi-fault scenario): the series of the dashboard's drill row, faults by kind on calls, tools and
   * backend requests, and how the runs ended.
   */
  @BeforeAll
  void runDrillWithThePrometheusExporter() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    drillExport = Paths.get(System.getProperty("smoke.outputDir"), "prometheus-export-drill.txt");
    Files.deleteIfExists(drillExport);
    drill = new SmokeRun();
    drill.launchApp("prometheus-export-drill", "langchain4j-app-newest", "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp",
        System.getProperty("java.home"), Map.ofEntries(
            Map.entry("otel.metrics.exporter", "otlp,prometheus"),
            Map.entry("otel.exporter.prometheus.port", String.valueOf(port)),
            Map.entry("smoke.prometheus.dump", drillExport.toString()),
            Map.entry("smoke.scenario-workflow", "true"),
            Map.entry("otel.resource.attributes", "deployment.environment.name=staging"),
            Map.entry("otel.instrumentation.llm-otel.faults.file",
                GovernanceFiles.write("dashboard-drill.json", ToolFaultsSmokeTest.FAULTS).toString()),
            Map.entry("otel.instrumentation.llm-otel.faults.enabled-in", "staging")),
        List.of(ToolFaultsSmokeTest.STORM));
  }

  SmokeRun drill;
  Path drillExport;

  @AfterAll
  void stop() {
    if (run != null) run.close();
    if (drill != null) drill.close();
  }

  /** Series and label names of the real exports (the service with everything on, the service in a drill). */
  Set<String> exportedNames() throws Exception {
    assertTrue(Files.exists(export), "the app scraped the agent's Prometheus endpoint: " + run.tail());
    assertTrue(Files.exists(drillExport), "the drill app scraped the agent's Prometheus endpoint: " + drill.tail());
    Set<String> names = new TreeSet<>();
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    List<String> lines = new ArrayList<>(Files.readAllLines(export, StandardCharsets.UTF_8));
    lines.addAll(Files.readAllLines(drillExport, StandardCharsets.UTF_8));
    for (String line : lines) {
      Matcher m = sample.matcher(line);
      if (line.startsWith("#") || !m.find()) continue;
      names.add(m.group(1));
      if (m.group(3) != null) {
        Matcher l = label.matcher(m.group(3));
        while (l.find()) names.add(l.group(1));
      }
    }
    return names;
  }

  @Test
  void theExportHasEveryLlmMetricUnderTheNamesTheRulesUse() throws Exception {
    Set<String> exported = exportedNames();
    for (String family : List.of("gen_ai_client_operation_duration_seconds_bucket",
        "gen_ai_client_operation_duration_seconds_count", "gen_ai_client_token_usage_sum",
        "gen_ai_client_inference_time_to_first_chunk_seconds_bucket", "llm_otel_cost_USD_total",
        "llm_otel_retries_total", "llm_otel_prompt_calls_total", "llm_otel_policy_decisions_total",
        "llm_otel_prompt_name", "llm_otel_output_validations_total", "llm_otel_output_validation",
        "llm_otel_escalations_total", "llm_otel_escalation_reason", "llm_otel_evaluation_score_bucket",
        "llm_otel_evaluation_score_sum", "llm_otel_evaluation_score_count", "llm_otel_evaluations_total",
        "gen_ai_evaluation_name", "llm_otel_evaluation_result")) {
      assertTrue(exported.contains(family), family + " not in the export: " + exported);
    }
  }

  /**
   * Online evaluation under the real agent: the judge's verdicts reached the export, with the values the
   * evaluation row and the quality rules filter on, and the judge's own calls are costed in their workflow
   * (the "Judge cost per hour" panel).
   */
  @Test
  void theExportHasTheJudgesVerdictsAndItsCost() throws Exception {
    assertTrue(Files.exists(export), "the app scraped the agent's Prometheus endpoint: " + run.tail());
    assertTrue(String.valueOf(run.result("await-metrics")).startsWith("ok"),
        "the judge's series appeared before the scrape: " + run.result("await-metrics") + "\n" + run.tail());
    List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
    for (String series : EVALUATION_SERIES) {
      assertTrue(lines.stream().anyMatch(l -> !l.startsWith("#") && l.contains(series)), series + " not in the export");
    }
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("llm_otel_evaluation_score_count{")
            && l.contains("gen_ai_evaluation_name=\"instruction_following\"")),
        "a score of the system-prompted call's instruction_following in the export");
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("llm_otel_cost_USD_total{")
            && l.contains("llm_otel_workflow=\"llm_otel.evaluation\"")),
        "the judge's calls costed in workflow llm_otel.evaluation");
  }

  @Test
  void everyNameTheDashboardAndTheRulesUseIsExported() throws Exception {
    Set<String> exported = exportedNames();
    List<String> missing = new ArrayList<>();
    int used = 0;
    for (String file : List.of("dashboards/llm-otel.json", "alerts/llm-otel-rules.yml", "alerts/llm-otel-rules.test.yml",
        "alerts/llm-otel-rules.weekly.test.yml")) {
      Matcher m = NAME.matcher(new String(Files.readAllBytes(observability.resolve(file)), StandardCharsets.UTF_8));
      while (m.find()) {
        used++;
        if (!exported.contains(m.group())) missing.add(file + ": " + m.group());
      }
    }
    assertTrue(used > 50, "the files use the metrics (" + used + " names found)");
    assertEquals(List.of(), missing, "names not in the real export " + exported);
  }

  @Test
  void theExamplesCheckerPasses() throws Exception {
    AgentApp check = AgentApp.execute("observability-check", List.of("bash", observability.resolve("check.sh").toString()),
        300);
    System.out.println(check.output);
    assertEquals(0, check.exitCode, check.output);
    assertTrue(check.output.contains("promtool"), check.output);
  }
}
