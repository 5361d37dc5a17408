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
 * streams, a retried 429, policies in monitor mode) with the agent's own Prometheus exporter on, and
 * the app scrapes it before it exits; every {@code gen_ai_*} and {@code llm_otel_*} name the
 * dashboard, the rules and their unit tests use must be a series or a label of that export. Then
 * the examples' own checker runs: promtool on the rules, their unit tests, the Prometheus config and
 * every dashboard query, and the compose and collector files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAndAlertsSmokeTest {
  static final Pattern NAME = Pattern.compile("\\b(?:gen_ai|llm_otel)_[a-zA-Z0-9_]+\\b");

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
    run.launchApp("prometheus-export", "java-http-client-app", "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
        System.getProperty("java.home"), Map.of(
            "otel.metrics.exporter", "otlp,prometheus",
            "otel.exporter.prometheus.port", String.valueOf(port),
            "smoke.prometheus.dump", export.toString(),
            // Every call over a tiny input budget: the policy metric gets its "would_refuse" series.
            "otel.instrumentation.llm-otel.input-tokens.mode", "monitor",
            "otel.instrumentation.llm-otel.input-tokens.max", "1",
            // A limit the store decides (the input-token limit is decided without it), on that unreachable store.
            "otel.instrumentation.llm-otel.rate-limit.mode", "monitor",
            "otel.instrumentation.llm-otel.rate-limit.calls-per-minute", "1000",
            "otel.instrumentation.llm-otel.governance.store", "redis://127.0.0.1:" + noRedis,
            // A named prompt version, as a registry gives it: the series get llm_otel_prompt_name.
            "otel.instrumentation.llm-otel.prompt-registry", GovernanceFiles.write("prompts-support.json",
                "{\"prompts\": [{\"system_pattern\": \"support assistant\", \"name\": \"support\", \"version\": \"3\"}]}")
                .toString()),
        List.of("chat", "chat-system", "chat-stream", "retried-429", "embeddings", "anthropic", "gemini-stream",
            "out-chat-valid", "out-chat-wrong"));
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  /** Series and label names of the real export. */
  Set<String> exportedNames() throws Exception {
    assertTrue(Files.exists(export), "the app scraped the agent's Prometheus endpoint: " + run.tail());
    Set<String> names = new TreeSet<>();
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? ");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    for (String line : Files.readAllLines(export, StandardCharsets.UTF_8)) {
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
        "gen_ai_client_operation_time_to_first_chunk_seconds_bucket", "llm_otel_cost_USD_total",
        "llm_otel_retries_total", "llm_otel_prompt_calls_total", "llm_otel_policy_decisions_total",
        "llm_otel_prompt_name", "llm_otel_output_validations_total", "llm_otel_output_validation",
        "llm_otel_escalations_total", "llm_otel_escalation_reason")) {
      assertTrue(exported.contains(family), family + " not in the export: " + exported);
    }
  }

  @Test
  void everyNameTheDashboardAndTheRulesUseIsExported() throws Exception {
    Set<String> exported = exportedNames();
    List<String> missing = new ArrayList<>();
    int used = 0;
    for (String file : List.of("dashboards/llm-otel.json", "alerts/llm-otel-rules.yml", "alerts/llm-otel-rules.test.yml")) {
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
