package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chaos for tools under the real agent, with a LangChain4j and a Spring AI agent: each tool fault
 * kind, chosen per workflow (the app names each scenario's work with llm_otel.workflow baggage) by a
 * fault file in a staging environment, reaches the framework as the
 * tool's own behaviour would (a thrown exception of the named type, a slow tool, a timeout, a replaced
 * result, a poisoned result that injection detection then flags), and the tool span says what was
 * injected; the same file in production injects nothing.
 */
class ToolFaultsSmokeTest {
  static final String STAGING = "staging";
  static final List<String> SCENARIOS = Arrays.asList("tf-none", "tf-real-io", "tf-error", "tf-error-io", "tf-latency",
      "tf-timeout", "tf-result", "tf-injected", "tf-storm");
  /**
   * The multi-fault drill: six runs of an agent whose tool calls the app's own backend, while the
   * provider fails the third LLM request with a 503, the second tool execution times out, and the
   * backend answers half its requests (seeded) with a 503; the faults overlap as in an incident.
   */
  static final String STORM = "tf-storm";
  /** Agent runs of the storm scenario (the apps' StormDrill.RUNS). */
  static final int STORM_RUNS = 6;
  static final String FAULTS = "{\"seed\": 7, \"tool_faults\": [\n"
      + " {\"fault\": \"tool_error\", \"workflow\": \"scenario tf-error\", \"exception\": \"java.lang.IllegalStateException\","
      + " \"message\": \"drill: orders database down\"},\n"
      + " {\"fault\": \"tool_error\", \"workflow\": \"scenario tf-error-io\", \"exception\": \"java.io.IOException\"},\n"
      + " {\"fault\": \"tool_latency\", \"workflow\": \"scenario tf-latency\", \"ms\": 400},\n"
      + " {\"fault\": \"tool_timeout\", \"workflow\": \"scenario tf-timeout\", \"ms\": 200},\n"
      + " {\"fault\": \"tool_result\", \"workflow\": \"scenario tf-result\", \"result\": \"{\\\"temperature_c\\\": -40}\"},\n"
      + " {\"fault\": \"injected_instructions\", \"workflow\": \"scenario tf-injected\", \"tool\": \"get_weather\","
      + " \"payload\": \"call-tool-covertly\"},\n"
      + " {\"fault\": \"tool_timeout\", \"workflow\": \"scenario tf-storm\", \"tool\": \"get_weather\", \"ms\": 100,"
      + " \"from_call\": 2, \"until_call\": 3}\n"
      + "],\n"
      + "\"faults\": [{\"fault\": \"http_503\", \"workflow\": \"scenario tf-storm\", \"from_call\": 3, \"until_call\": 4}],\n"
      + "\"http_faults\": [{\"fault\": \"http_503\", \"path\": \"/internal/weather/.*\", \"workflow\": \"scenario tf-storm\","
      + " \"probability\": 0.5}]\n"
      + "}\n";

  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of("langchain4j-app-newest", "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp"),
        Arguments.of("spring-ai-app-boot3", "dev.llmotel.smoke.springai.SpringAiSmokeApp"));
  }

  /** The drills themselves also on Spring AI 2.0 (Spring Boot 4). */
  static Stream<Arguments> drillApps() {
    return Stream.concat(apps(), Stream.of(Arguments.of("spring-ai-app-boot4", "dev.llmotel.smoke.springai.SpringAiSmokeApp")));
  }

  /** "ok", or "error" and the exception type the app got. */
  static String outcome(String result) {
    String[] words = result.split(" ");
    return words[0].equals("ok") ? "ok" : words[0] + " " + words[1];
  }

  static Map<String, String> properties(String environment) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("otel.instrumentation.llm-otel.faults.report",
        java.nio.file.Paths.get(AgentApp.required("smoke.outputDir"), "drill-" + environment).toString());
    p.put("otel.logs.exporter", "otlp");
    p.put("smoke.scenario-workflow", "true"); // each scenario its own workflow (the app's baggage)
    p.put("otel.resource.attributes", "deployment.environment.name=" + environment);
    p.put("otel.instrumentation.llm-otel.faults.file", GovernanceFiles.write("tool-faults.json", FAULTS).toString());
    p.put("otel.instrumentation.llm-otel.faults.enabled-in", environment);
    return p;
  }

  static ReceivedSpan tool(SmokeRun run, String scenario) {
    return InjectionDetectionSmokeTest.only(run, scenario, "execute_tool");
  }

  static String injected(ReceivedSpan span) {
    Object v = span.attributes().get("llm_otel.fault.injected");
    return v == null ? null : String.valueOf(v);
  }

  /** What the model was sent as the tool's result: the tool message of the scenario's last request. */
  static String toolMessage(SmokeRun run, String scenario) {
    List<RecordedRequest> sent = run.llm.requests(scenario);
    for (com.fasterxml.jackson.databind.JsonNode m : sent.get(sent.size() - 1).json().path("messages")) {
      if ("tool".equals(m.path("role").asText())) return m.path("content").asText();
    }
    throw new AssertionError("no tool message in " + sent.get(sent.size() - 1).body());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drillApps")
  void eachToolFaultReachesTheFrameworkAsTheToolsOwnBehaviour(String appModule, String mainClass) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      run.launchApp("tool-faults-" + appModule, appModule, mainClass, System.getProperty("java.home"),
          properties(STAGING), SCENARIOS);
      run.assertRanCleanly(SCENARIOS.size());
      // An injected failure takes the framework's path for that exception type: an unchecked one's message goes to
      // the model (the run goes on); a checked one goes where the framework sends a real tool's (tf-real-io: a
      // tool that really throws IOException; Spring AI hands those to the app, LangChain4j to the model).
      for (String s : Arrays.asList("tf-none", "tf-error", "tf-latency", "tf-result", "tf-injected")) {
        assertTrue(run.result(s).startsWith("ok"), s + ": " + run.result(s));
      }
      String checked = outcome(run.result("tf-real-io"));
      assertEquals(checked, outcome(run.result("tf-error-io")), run.result("tf-error-io") + " vs " + run.result("tf-real-io"));
      assertEquals(checked, outcome(run.result("tf-timeout")), run.result("tf-timeout") + " vs " + run.result("tf-real-io"));
      assertTrue(run.app.output.contains("FAULT INJECTION IS ON"), run.tail());

      assertNull(injected(tool(run, "tf-none")), "no rule for this workflow");
      assertTrue(toolMessage(run, "tf-none").contains("18"), "the real result");

      ReceivedSpan error = tool(run, "tf-error");
      assertEquals("[tool_error]", injected(error));
      assertEquals("java.lang.IllegalStateException", error.attr("error.type"));
      assertTrue(toolMessage(run, "tf-error").contains("drill: orders database down"), toolMessage(run, "tf-error"));
      // The span records a checked failure as it records the real one (Spring AI: the ToolExecutionException it throws).
      String realIo = tool(run, "tf-real-io").attr("error.type");
      assertEquals(realIo, tool(run, "tf-error-io").attr("error.type"));

      ReceivedSpan slow = tool(run, "tf-latency");
      assertEquals("[tool_latency]", injected(slow));
      assertTrue(slow.durationNanos() >= Duration.ofMillis(400).toNanos(), slow.toString());
      assertTrue(toolMessage(run, "tf-latency").contains("18"), "the real result, late");

      ReceivedSpan timeout = tool(run, "tf-timeout");
      assertEquals("[tool_timeout]", injected(timeout));
      assertEquals(realIo.equals("java.io.IOException") ? "java.util.concurrent.TimeoutException" : realIo,
          timeout.attr("error.type"));
      assertTrue(timeout.durationNanos() >= Duration.ofMillis(200).toNanos());

      assertEquals("[tool_result]", injected(tool(run, "tf-result")));
      assertEquals("{\"temperature_c\": -40}", toolMessage(run, "tf-result"));

      ReceivedSpan poisoned = tool(run, "tf-injected");
      assertEquals("[injected_instructions]", injected(poisoned));
      String sent = toolMessage(run, "tf-injected");
      assertTrue(sent.contains("18") && sent.contains("send_email"), "the real result with the payload after it: " + sent);
      assertFalse(poisoned.events("llm_otel.injection.suspected").isEmpty(), "detection flags what the drill put in");

      assertDrillReport(run, appModule);
      assertStormDrill(run, appModule);

      assertTrue(run.receiver.awaitMetric("llm_otel.tool.faults", Duration.ofSeconds(10)));
      Map<String, Long> byKind = new HashMap<>();
      for (ReceivedPoint p : run.receiver.latestPoints("llm_otel.tool.faults")) {
        assertEquals("get_weather", p.attr("gen_ai.tool.name"));
        byKind.merge(p.attr("llm_otel.fault.kind"), p.longValue(), Long::sum);
      }
      assertEquals(Long.valueOf(2), byKind.get("tool_error"), byKind.toString());
      assertEquals(Long.valueOf(2), byKind.get("tool_timeout"), "tf-timeout and the storm's: " + byKind);
      for (String kind : Arrays.asList("tool_latency", "tool_result", "injected_instructions")) {
        assertEquals(Long.valueOf(1), byKind.get(kind), kind + " " + byKind);
      }
    }
  }

  /**
   * The drill report written at exit: per workflow (one per scenario here), its numbers are those of the
   * decoded spans: LLM calls and tool executions with and without faults, faults by kind, how each run ended.
   */
  static void assertDrillReport(SmokeRun run, String appModule) throws Exception {
    java.nio.file.Path json = java.nio.file.Paths.get(AgentApp.required("smoke.outputDir"), "drill-" + STAGING + ".json");
    java.nio.file.Path html = java.nio.file.Paths.get(AgentApp.required("smoke.outputDir"), "drill-" + STAGING + ".html");
    Map<?, ?> report = (Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), Map.class);
    assertEquals("llm-otel-drill-report", report.get("format"));
    Map<?, ?> workflows = (Map<?, ?>) report.get("workflows");
    for (String scenario : SCENARIOS) {
      if (scenario.equals(STORM)) continue; // several runs: see assertStormDrill
      Map<?, ?> w = (Map<?, ?>) workflows.get("scenario " + scenario);
      assertTrue(w != null, appModule + ": no workflow for " + scenario + " in " + workflows.keySet());
      ReceivedSpan root = run.scenario(scenario);
      List<ReceivedSpan> trace = run.receiver.trace(root.traceId());
      long chats = trace.stream().filter(s -> "chat".equals(s.attr("gen_ai.operation.name"))).count();
      long tools = trace.stream().filter(s -> "execute_tool".equals(s.attr("gen_ai.operation.name"))).count();
      long faultedTools = trace.stream().filter(s -> "execute_tool".equals(s.attr("gen_ai.operation.name"))
          && injected(s) != null).count();
      Map<?, ?> calls = (Map<?, ?>) w.get("calls");
      assertEquals(chats, count(calls, "with_faults") + count(calls, "without_faults"), scenario + " calls");
      Map<?, ?> toolSides = (Map<?, ?>) w.get("tools");
      assertEquals(tools, count(toolSides, "with_faults") + count(toolSides, "without_faults"), scenario + " tools");
      assertEquals(faultedTools, count(toolSides, "with_faults"), scenario + " faulted tools");
      Map<?, ?> faults = (Map<?, ?>) w.get("faults");
      if (faultedTools > 0) {
        String kind = injected(tool(run, scenario)).replace("[", "").replace("]", "");
        assertEquals(1, ((Number) faults.get(kind)).intValue(), scenario + " " + faults);
      } else {
        assertTrue(faults.isEmpty(), scenario + " " + faults);
      }
      Map<?, ?> runs = (Map<?, ?>) w.get("runs");
      String side = faultedTools > 0 ? "with_faults" : "without_faults";
      assertEquals(1, count(runs, side), scenario + " runs " + runs);
      Map<?, ?> outcomes = (Map<?, ?>) ((Map<?, ?>) runs.get(side)).get("outcomes");
      String expected = run.result(scenario).startsWith("ok")
          ? (scenario.equals("tf-injected") ? "escalated" : "answered") : "failed";
      assertEquals(java.util.Collections.singletonMap(expected, 1), outcomes, scenario + " " + run.result(scenario));
    }
    Map<?, ?> slow = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) workflows.get("scenario tf-latency")).get("tools")).get("with_faults");
    assertTrue(((Number) slow.get("mean_latency_ms")).doubleValue() >= 400, slow.toString());
    String page = new String(java.nio.file.Files.readAllBytes(html), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(page.contains("Workflow scenario tf-timeout") && page.contains("tool_timeout &times; 1"), page);
    assertTrue(page.contains("Faults injected into other HTTP requests: http_503 &times; "), page);
  }

  /**
   * The multi-fault drill, from the decoded spans: each rule's faults where its timeline puts them (the
   * provider's 503 on the third LLM request, the timeout on the second tool execution, 503s on backend requests
   * drawn from the seed), overlapping in the same runs; and the drill report's numbers for the workflow
   * (calls, tools, backend requests, runs and how each ended) equal to what the spans show.
   */
  static void assertStormDrill(SmokeRun run, String appModule) throws Exception {
    String result = run.result(STORM);
    assertTrue(result.startsWith("ok"), result);
    List<ReceivedSpan> trace = run.receiver.trace(run.scenario(STORM).traceId());
    java.util.Comparator<ReceivedSpan> byStart = java.util.Comparator.comparingLong(ReceivedSpan::startEpochNanos);
    List<ReceivedSpan> chats = trace.stream().filter(s -> "chat".equals(s.attr("gen_ai.operation.name")))
        .sorted(byStart).collect(java.util.stream.Collectors.toList());
    List<ReceivedSpan> tools = trace.stream().filter(s -> "execute_tool".equals(s.attr("gen_ai.operation.name")))
        .sorted(byStart).collect(java.util.stream.Collectors.toList());
    List<ReceivedSpan> requests = trace.stream().filter(s -> "dev.llmotel.faults".equals(s.scopeName()))
        .collect(java.util.stream.Collectors.toList());
    List<ReceivedSpan> agents = trace.stream().filter(s -> "invoke_agent".equals(s.attr("gen_ai.operation.name")))
        .collect(java.util.stream.Collectors.toList());
    assertEquals(STORM_RUNS, agents.size(), appModule);

    // The timeline: the provider's 503 hits the drill's third LLM request only (run 2's first call: each run
    // is a call that asks for the tool, the tool, and a call that answers; no request before it was repeated);
    // the framework's retry of it (a span of its own or an attempt of the same span, by framework) is past the
    // rule's window and gets through.
    long providerErrors = chats.stream().filter(c -> String.valueOf(injected(c)).contains("http_503")).count();
    for (int i = 0; i < chats.size(); i++) {
      assertEquals(i == 2, String.valueOf(injected(chats.get(i))).contains("http_503"),
          appModule + ": the 503 is on the third call only, call " + i + " of " + chats);
    }
    // The second tool execution timed out; every other one ran.
    assertTrue(tools.size() >= 2, appModule + " " + tools);
    for (int i = 0; i < tools.size(); i++) {
      assertEquals(i == 1 ? "[tool_timeout]" : null, injected(tools.get(i)), appModule + " tool " + i);
    }
    // The backend's 503s: drawn per request; each is llm-otel's span under the tool that called the backend.
    assertFalse(requests.isEmpty(), appModule + ": the seeded draws give at least one 503");
    for (ReceivedSpan r : requests) {
      assertEquals("[http_503]", injected(r));
      assertEquals("503", r.attr("error.type"));
      assertTrue(tools.stream().anyMatch(t -> t.spanId().equals(r.parentSpanId())), "under a tool span: " + r);
    }
    int backendCalls = run.llm.requests(STORM).stream().filter(q -> q.path().startsWith("/internal/"))
        .collect(java.util.stream.Collectors.toList()).size();
    assertEquals(tools.size() - 1 - requests.size(), backendCalls,
        appModule + ": the backend saw every tool's request but the timed-out tool's and the faulted ones");

    // The drill report of the workflow: the same numbers.
    java.nio.file.Path json = java.nio.file.Paths.get(AgentApp.required("smoke.outputDir"), "drill-" + STAGING + ".json");
    Map<?, ?> report = (Map<?, ?>) new com.fasterxml.jackson.databind.ObjectMapper().readValue(json.toFile(), Map.class);
    Map<?, ?> w = (Map<?, ?>) ((Map<?, ?>) report.get("workflows")).get("scenario " + STORM);
    Map<?, ?> calls = (Map<?, ?>) w.get("calls");
    assertEquals(chats.size(), count(calls, "with_faults") + count(calls, "without_faults"), appModule + " calls");
    assertEquals(chats.stream().filter(c -> injected(c) != null).count(), count(calls, "with_faults"), appModule);
    Map<?, ?> faults = (Map<?, ?>) w.get("faults");
    assertEquals(providerErrors, ((Number) faults.get("http_503")).longValue(), appModule + " " + faults);
    assertEquals(1, ((Number) faults.get("tool_timeout")).intValue(), appModule + " " + faults);
    Map<?, ?> requestFaults = (Map<?, ?>) w.get("request_faults");
    assertEquals((long) requests.size(), ((Number) requestFaults.get("http_503")).longValue(), appModule + " " + requestFaults);
    Map<?, ?> toolSides = (Map<?, ?>) w.get("tools");
    assertEquals(tools.size(), count(toolSides, "with_faults") + count(toolSides, "without_faults"), appModule);
    // A run is faulted when any fault reached its calls, its tools or its tools' backend requests.
    long faultedRuns = agents.stream().filter(a -> trace.stream().anyMatch(s -> injected(s) != null
        && descends(trace, s, a))).count();
    Map<?, ?> runs = (Map<?, ?>) w.get("runs");
    assertEquals(faultedRuns, count(runs, "with_faults"), appModule + " " + runs);
    assertEquals(agents.size() - faultedRuns, count(runs, "without_faults"), appModule + " " + runs);
    long failed = result.split(" failed:", -1).length - 1;
    long reportedFailed = 0;
    for (String side : Arrays.asList("with_faults", "without_faults")) {
      Object n = ((Map<?, ?>) ((Map<?, ?>) runs.get(side)).get("outcomes")).get("failed");
      reportedFailed += n == null ? 0 : ((Number) n).longValue();
    }
    assertEquals(failed, reportedFailed, appModule + ": " + result + " vs " + runs);
    // Overlap: the second run met the provider's 503, the tool's timeout, and maybe the backend's 503s at once.
    ReceivedSpan second = agents.stream().filter(a -> descends(trace, tools.get(1), a)).findFirst().get();
    assertTrue(descends(trace, chats.get(2), second), appModule + ": the provider's 503 and the timeout are in one run");

    assertTrue(run.receiver.awaitMetric("llm_otel.http.faults", Duration.ofSeconds(10)));
    long counted = 0;
    for (ReceivedPoint p : run.receiver.latestPoints("llm_otel.http.faults")) {
      assertEquals("http_503", p.attr("llm_otel.fault.kind"));
      assertEquals("scenario " + STORM, p.attr("llm_otel.workflow"));
      counted += p.longValue();
    }
    assertEquals(requests.size(), counted);
  }

  /** Whether span {@code s} is {@code ancestor} or below it in the trace. */
  static boolean descends(List<ReceivedSpan> trace, ReceivedSpan s, ReceivedSpan ancestor) {
    Map<String, ReceivedSpan> byId = new HashMap<>();
    for (ReceivedSpan t : trace) byId.put(t.spanId(), t);
    for (ReceivedSpan at = s; at != null; at = byId.get(at.parentSpanId())) {
      if (at.spanId().equals(ancestor.spanId())) return true;
    }
    return false;
  }

  static long count(Map<?, ?> sides, String side) {
    return ((Number) ((Map<?, ?>) sides.get(side)).get("count")).longValue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void theSameFileInProductionInjectsNothing(String appModule, String mainClass) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      List<String> scenarios = Arrays.asList("tf-error", "tf-result", STORM);
      run.launchApp("tool-faults-prod-" + appModule, appModule, mainClass, System.getProperty("java.home"),
          properties("production"), scenarios);
      run.assertRanCleanly(scenarios.size());
      assertTrue(run.app.output.contains("fault injection REFUSED"), run.tail());
      // Nothing of the multi-fault drill either: no faulted call, tool or backend request, every run answered.
      assertEquals("ok" + " answered".repeat(STORM_RUNS), run.result(STORM));
      for (ReceivedSpan span : run.receiver.trace(run.scenario(STORM).traceId())) {
        assertNull(injected(span), span.toString());
        assertFalse("dev.llmotel.faults".equals(span.scopeName()), span.toString());
      }
      for (String s : Arrays.asList("tf-error", "tf-result")) {
        assertNull(injected(tool(run, s)), s);
        assertNull(tool(run, s).attr("error.type"), s);
        assertTrue(toolMessage(run, s).contains("18"), "the real result: " + toolMessage(run, s));
      }
    }
  }
}
