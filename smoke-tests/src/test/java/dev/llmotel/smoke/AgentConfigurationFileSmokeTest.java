package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * llm-otel's settings in the agent's configuration file ({@code otel.javaagent.configuration-file}),
 * with the agent's precedence: a system property beats the file. The JDK HttpClient app's calls are
 * traced by the copy of llm-otel in the platform class loader, not the extension loader's that read
 * the file while the agent started: every copy sees the same settings.
 */
class AgentConfigurationFileSmokeTest {
  @Test
  void everyLlmOtelKeyCanBeSetInTheAgentsConfigurationFileWithTheAgentsPrecedence() throws Exception {
    String faults = GovernanceFiles.write("config-file-faults.json", "{\"http_faults\": [{\"fault\": \"http_503\","
        + " \"path\": \"/internal/.*\"}]}").toString();
    String file = GovernanceFiles.write("agent-config.properties", String.join("\n",
        "otel.instrumentation.genai.capture-message-content=true",
        "otel.instrumentation.llm-otel.input-tokens.max=1",
        // Overridden by the system property below: the call is monitored, not refused.
        "otel.instrumentation.llm-otel.input-tokens.mode=enforce",
        "otel.resource.attributes=deployment.environment.name=staging",
        "otel.instrumentation.llm-otel.faults.file=" + faults.replace("\\", "\\\\"),
        "otel.instrumentation.llm-otel.faults.enabled-in=staging", "")).toString();
    try (SmokeRun run = new SmokeRun()) {
      List<String> scenarios = List.of("chat", "internal-get");
      run.launchApp("agent-config-file", "java-http-client-app", "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
          System.getProperty("java.home"), Map.of("otel.javaagent.configuration-file", file,
              "otel.instrumentation.llm-otel.input-tokens.mode", "monitor"), scenarios);
      run.assertRanCleanly(scenarios.size());

      assertTrue(run.result("chat").startsWith("ok status=200"), "monitored, not refused: " + run.result("chat"));
      ReceivedSpan chat = run.onlyLlmSpan("chat");
      assertTrue(chat.attr("gen_ai.input.messages").contains("Say hello"), "content capture from the file");
      assertEquals("would_refuse", chat.attr("llm_otel.policy.decision"), "the limit from the file, the mode from -D");

      assertTrue(run.app.output.contains("FAULT INJECTION IS ON in environment \"staging\""),
          "the fault file, its gate and the resource from the file: " + run.tail());
      assertTrue(run.result("internal-get").startsWith("ok status=503"), run.result("internal-get"));
      assertEquals("[http_503]", String.valueOf(FaultInjectionSmokeTest.requestSpan(run, "internal-get")
          .attributes().get("llm_otel.fault.injected")));
    }
  }

  /**
   * The agent's declarative configuration file ({@code otel.config.file}, file format 1.0): the SDK,
   * the resource and llm-otel's settings under {@code instrumentation/development: java: llm_otel:}.
   */
  @Test
  void llmOtelHasItsPlaceInTheDeclarativeConfigurationFile() throws Exception {
    String faults = GovernanceFiles.write("declarative-faults.json", "{\"http_faults\": [{\"fault\": \"http_503\","
        + " \"path\": \"/internal/.*\"}]}").toString();
    try (SmokeRun run = new SmokeRun()) {
      String yaml = declarativeFile(run, String.join("\n",
          "instrumentation/development:",
          "  java:",
          "    genai:",
          "      capture_message_content: true",
          "    llm_otel:",
          "      input_tokens:",
          "        max: 1",
          "        mode: monitor",
          "      faults:",
          "        file: \"" + faults.replace("\\", "\\\\") + "\"",
          "        enabled_in: staging",
          ""));
      String file = GovernanceFiles.write("agent-config.yaml", yaml).toString();
      List<String> scenarios = List.of("chat", "internal-get");
      run.launchApp("agent-config-declarative", "java-http-client-app", "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
          System.getProperty("java.home"), Map.of("otel.config.file", file), scenarios);
      run.assertRanCleanly(scenarios.size());

      assertTrue(run.result("chat").startsWith("ok status=200"), run.result("chat"));
      ReceivedSpan chat = run.onlyLlmSpan("chat");
      assertTrue(chat.attr("gen_ai.input.messages").contains("Say hello"), "content capture from the file");
      assertEquals("would_refuse", chat.attr("llm_otel.policy.decision"), "the limit and its mode from the file");
      assertTrue(run.app.output.contains("FAULT INJECTION IS ON in environment \"staging\""),
          "the fault file, its gate, and the environment from the file's resource: " + run.tail());
      assertTrue(run.result("internal-get").startsWith("ok status=503"), run.result("internal-get"));
    }
  }

  /** A declarative configuration file: the SDK exporting to the test's receiver, the resource, then {@code rest}. */
  static String declarativeFile(SmokeRun run, String rest) {
    String otlp = run.receiver.endpoint();
    return String.join("\n",
        "file_format: \"1.0\"",
        "resource:",
        "  attributes:",
        "    - name: service.name",
        "      value: declarative-config",
        "    - name: deployment.environment.name",
        "      value: staging",
        "tracer_provider:",
        "  processors:",
        "    - simple:",
        "        exporter:",
        "          otlp_http:",
        "            endpoint: " + otlp + "/v1/traces",
        "meter_provider:",
        "  readers:",
        "    - periodic:",
        "        interval: 1000",
        "        exporter:",
        "          otlp_http:",
        "            endpoint: " + otlp + "/v1/metrics",
        "propagator:",
        "  composite:",
        "    - tracecontext:",
        "    - baggage:",
        rest);
  }

  /**
   * With a declarative file the agent applies none of the extension's defaults (it calls no properties
   * customizer): the file turns the agent's own OpenAI instrumentation off, as configuration.md shows, and
   * each call has one chat span, llm-otel's (without it the agent adds its own INTERNAL one).
   */
  @Test
  void theDocumentedDeclarativeFileGivesOneSpanPerCall() throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      String file = GovernanceFiles.write("agent-config-openai.yaml", declarativeFile(run, String.join("\n",
          "distribution:",
          "  javaagent:",
          "    instrumentation:",
          "      disabled:",
          "        - openai_java",
          ""))).toString();
      List<String> scenarios = List.of("sync");
      run.launchApp("agent-config-declarative-openai", "openai-app-newest", "dev.llmotel.smoke.openai.OpenAiSmokeApp",
          System.getProperty("java.home"), Map.of("otel.config.file", file), scenarios);
      run.assertRanCleanly(scenarios.size());
      assertEquals(1, run.llmSpans("sync").size(), String.valueOf(run.llmSpans("sync")));
      assertEquals("dev.llmotel.openai-java", run.onlyLlmSpan("sync").scopeName());
    }
  }
}
