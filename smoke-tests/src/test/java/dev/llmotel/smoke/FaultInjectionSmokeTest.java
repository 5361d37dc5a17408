package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fault injection under the real agent, for the OpenAI SDK, the Anthropic SDK and a plain JDK
 * HttpClient app. Each app runs its scenarios twice: once against a fake server scripted to fail
 * (a 429 then success, 503s, a stream cut after two events, a broken body, a dropped connection),
 * once against a healthy server with the same faults injected by llm-otel. The app must see the
 * same outcome both times (the same exception class, the same retries), the injected run's spans
 * carry {@code llm_otel.fault.injected}, and the server never sees a request a fault replaced.
 * A second seeded run injects exactly the same faults; without the enabling key nothing is injected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionSmokeTest {
  static final String ENVIRONMENT = "staging";
  /** The scenario whose fault is drawn with a probability. */
  static final String SEEDED = "retried-429";

  /** One library's app, its scenarios with their real faults, and the same faults as injection rules. */
  static final class Drill {
    final String name;
    final String appModule;
    final String mainClass;
    final Map<String, Behaviour[]> realFaults = new LinkedHashMap<>();
    final Map<String, String> injectedKinds = new LinkedHashMap<>();
    final List<String> rules = new ArrayList<>();
    final List<String> scenarios = new ArrayList<>();
    SmokeRun real;
    SmokeRun injected;

    Drill(String name, String appModule, String mainClass) {
      this.name = name;
      this.appModule = appModule;
      this.mainClass = mainClass;
    }

    /** A scenario that meets a fault: scripted on the server in the real run, a rule in the injected one. */
    Drill fault(String scenario, String kind, String ruleParams, Behaviour... real) {
      scenarios.add(scenario);
      if (real.length > 0) realFaults.put(scenario, real);
      injectedKinds.put(scenario, kind);
      rules.add("{\"fault\": \"" + kind + "\", \"workflow\": \"scenario " + scenario + "\"" + ruleParams + "}");
      return this;
    }

    /**
     * A scenario whose request to the app's own backend (no LLM, {@code /internal/...}) meets a fault:
     * scripted on the server in the real run, an http_faults rule (host and path) in the injected one.
     */
    Drill requestFault(String scenario, String kind, String ruleParams, Behaviour... real) {
      scenarios.add(scenario);
      if (real.length > 0) realFaults.put(scenario, real);
      requestKinds.put(scenario, kind);
      requestRules.add("{\"fault\": \"" + kind + "\", \"host\": \"127\\\\.0\\\\.0\\\\.1|localhost\", "
          + "\"path\": \"/internal/.*\", \"workflow\": \"scenario " + scenario + "\"" + ruleParams + "}");
      return this;
    }

    final Map<String, String> requestKinds = new LinkedHashMap<>();
    final List<String> requestRules = new ArrayList<>();

    String faultFile() {
      // Seed 6: the seeded rule's first draw injects, its second does not (see aSeededRun...).
      return "{\"seed\": 6, \"faults\": [\n  " + String.join(",\n  ", rules) + "]"
          + (requestRules.isEmpty() ? "" : ",\n \"http_faults\": [\n  " + String.join(",\n  ", requestRules) + "]") + "}";
    }
  }

  final Drill openAi = new Drill("openai", "openai-app-newest", "dev.llmotel.smoke.openai.OpenAiSmokeApp")
      .fault("sync", "http_429", ", \"retry_after\": \"0\", \"times\": 1", Behaviour.error(429, "0"), Behaviour.ok())
      // 503s without retry-after: OkHttp itself silently repeats a 503 with "retry-after: 0" below the
      // application interceptors, where an injected response never goes (see docs/chaos-and-replay.md).
      .fault("fail-503", "http_503", "", Behaviour.error(503), Behaviour.error(503), Behaviour.error(503))
      .fault("stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("async", "malformed_response", "", Behaviour.malformed())
      .fault("responses", "connection_failure", ", \"times\": 1", Behaviour.resetConnection(), Behaviour.ok());
  // A plain OkHttp client's requests to the app's own backend (no LLM): http_faults only.
  final Drill okHttp = new Drill("okhttp", "okhttp-app-4", "dev.llmotel.smoke.okhttp.OkHttpSmokeApp")
      .requestFault("internal-get", "http_429", ", \"retry_after\": \"3\"", Behaviour.error(429, "3"))
      .requestFault("internal-slow", "latency", ", \"ms\": 300")
      .requestFault("internal-cut", "truncated_response", ", \"after_bytes\": 10");
  final Drill anthropic = new Drill("anthropic", "anthropic-app-newest", "dev.llmotel.smoke.anthropic.AnthropicSmokeApp")
      .fault("chat", "http_429", ", \"retry_after\": \"0\", \"times\": 1", Behaviour.error(429, "0"), Behaviour.ok())
      .fault("chat-async", "http_503", "", Behaviour.error(503), Behaviour.error(503), Behaviour.error(503))
      .fault("chat-stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("tool-use", "malformed_response", "", Behaviour.malformed());
  final Drill javaHttp = new Drill("java-http-client", "java-http-client-app",
      "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp")
      .fault("chat", "http_429", ", \"retry_after\": \"0\"", Behaviour.error(429, "0"))
      .fault("anthropic", "http_503", "", Behaviour.error(503))
      .fault("chat-stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("gemini", "malformed_response", "", Behaviour.malformed())
      // No real counterpart scripted: what the JDK's client throws is asserted by class.
      .fault("chat-async", "connection_failure", "")
      .fault("embeddings", "timeout", ", \"ms\": 50")
      .fault("custom-endpoint", "unknown_tool_call", ", \"tool\": \"launch_rockets\"")
      .fault("chat-system", "latency", ", \"ms\": 400")
      // Seeded: half of the app's own attempts get a 500; a second run must draw the same ones.
      .fault(SEEDED, "http_500", ", \"probability\": 0.5")
      .fault("large-response", "truncated_response", ", \"after_bytes\": 10")
      .requestFault("internal-get", "http_503", "", Behaviour.error(503))
      .requestFault("internal-search", "malformed_response", "", Behaviour.malformed())
      .requestFault("internal-down", "connection_failure", "")
      .requestFault("internal-slow", "latency", ", \"ms\": 300, \"method\": \"GET\"");
  final Drill apacheHttp = new Drill("apache-httpclient-5", "apache-httpclient-5-app-newest",
      "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp")
      .fault("chat", "http_429", ", \"retry_after\": \"0\"", Behaviour.error(429, "0"))
      // The client's own retry of a 429 (its default strategy): the second attempt is drawn anew.
      .fault("chat-client-retry", "http_429", ", \"retry_after\": \"0\", \"times\": 1", Behaviour.error(429, "0"),
          Behaviour.ok())
      .fault("anthropic", "http_503", "", Behaviour.error(503))
      .fault("chat-stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("gemini", "malformed_response", "", Behaviour.malformed())
      // Spring AI's RestClient over the same client: the fault goes in below the framework's span.
      .fault("sdk-chat", "malformed_response", "", Behaviour.malformed())
      .fault("chat-handler", "connection_failure", "")
      .fault("embeddings", "timeout", ", \"ms\": 50")
      .fault("custom-endpoint", "unknown_tool_call", ", \"tool\": \"launch_rockets\"")
      .fault("large-response", "truncated_response", ", \"after_bytes\": 10")
      .requestFault("internal-get", "http_503", "", Behaviour.error(503))
      .requestFault("internal-down", "connection_failure", "")
      .requestFault("internal-cut", "truncated_response", ", \"after_bytes\": 10");
  final Drill bedrock = new Drill("bedrock", "bedrock-app-newest", "dev.llmotel.smoke.bedrock.BedrockSmokeApp")
      // The AWS SDK turns the injected 429 into its ThrottlingException and retries it by its own policy.
      .fault("converse", "http_429", ", \"retry_after\": \"0\", \"times\": 1", Behaviour.error(429, "0"), Behaviour.ok())
      .fault("converse-async", "http_503", "", Behaviour.error(503), Behaviour.error(503), Behaviour.error(503),
          Behaviour.error(503), Behaviour.error(503))
      .fault("converse-stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("invoke", "malformed_response", "", Behaviour.malformed())
      .fault("converse-retried", "connection_failure", ", \"times\": 1", Behaviour.resetConnection(), Behaviour.ok())
      .fault("invoke-embed", "timeout", ", \"ms\": 50, \"times\": 1")
      .fault("tool-use", "unknown_tool_call", ", \"tool\": \"launch_rockets\", \"times\": 1")
      .fault("cached", "latency", ", \"ms\": 300")
      .fault("invoke-stream", "stream_cut", ", \"after_chunks\": 3", Behaviour.streamCut(3));
  // Google GenAI 2.x sends with OkHttp: the faults go in below its retry interceptor, per attempt.
  final Drill google = new Drill("google-genai", "google-genai-app-newest",
      "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp")
      .fault("chat-retried", "http_429", ", \"retry_after\": \"0\", \"times\": 1", Behaviour.error(429, "0"),
          Behaviour.ok())
      .fault("chat", "http_503", "", Behaviour.error(503), Behaviour.error(503), Behaviour.error(503),
          Behaviour.error(503), Behaviour.error(503))
      .fault("vertex-chat", "http_500", "", Behaviour.error(500), Behaviour.error(500), Behaviour.error(500),
          Behaviour.error(500), Behaviour.error(500))
      .fault("chat-stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("chat-async", "malformed_response", "", Behaviour.malformed())
      .fault("tool-use", "unknown_tool_call", ", \"tool\": \"launch_rockets\", \"times\": 1")
      .fault("chat-params", "latency", ", \"ms\": 300")
      .fault("thinking", "timeout", ", \"ms\": 50");
  // Google GenAI 1.x sends with Apache HttpClient 4 (and does not retry).
  final Drill googleOldest = new Drill("google-genai-1", "google-genai-app-oldest",
      "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp")
      .fault("chat", "http_429", ", \"retry_after\": \"0\"", Behaviour.error(429, "0"))
      .fault("vertex-chat", "http_500", "", Behaviour.error(500))
      .fault("chat-stream", "stream_cut", ", \"after_chunks\": 2", Behaviour.streamCut(2))
      .fault("chat-async", "malformed_response", "", Behaviour.malformed())
      .fault("tool-use", "unknown_tool_call", ", \"tool\": \"launch_rockets\", \"times\": 1")
      .fault("chat-params", "latency", ", \"ms\": 300")
      .fault("thinking", "connection_failure", "")
      .fault("cached", "timeout", ", \"ms\": 50");
  SmokeRun repeat;
  SmokeRun refused;

  @BeforeAll
  void runDrills() throws Exception {
    String faultFile = GovernanceFiles.write("faults-drill.json", javaHttp.faultFile()).toString();
    List<SmokeRun.Launch> launches = new ArrayList<>();
    for (Drill d : List.of(openAi, anthropic, javaHttp, apacheHttp, bedrock, google, googleOldest, okHttp)) {
      d.real = new SmokeRun();
      d.realFaults.forEach(d.real.llm::script);
      launches.add(() -> d.real.launchApp("faults-" + d.name + "-real", d.appModule, d.mainClass,
          System.getProperty("java.home"), Map.of(), d.scenarios));
      d.injected = new SmokeRun();
      String file = GovernanceFiles.write("faults-" + d.name + ".json", d.faultFile()).toString();
      launches.add(() -> d.injected.launchApp("faults-" + d.name + "-injected", d.appModule, d.mainClass,
          System.getProperty("java.home"), injectionProperties(file, ENVIRONMENT), d.scenarios));
    }
    repeat = new SmokeRun();
    launches.add(() -> repeat.launchApp("faults-java-http-client-repeat", javaHttp.appModule, javaHttp.mainClass,
        System.getProperty("java.home"), injectionProperties(faultFile, ENVIRONMENT), javaHttp.scenarios));
    refused = new SmokeRun();
    Map<String, String> noKey = new HashMap<>(injectionProperties(faultFile, ENVIRONMENT));
    noKey.remove("otel.instrumentation.llm-otel.faults.enabled-in");
    launches.add(() -> refused.launchApp("faults-refused", javaHttp.appModule, javaHttp.mainClass,
        System.getProperty("java.home"), noKey, List.of("chat")));
    SmokeRun.launchTogether(launches.toArray(new SmokeRun.Launch[0]));
  }

  static Map<String, String> injectionProperties(String file, String enabledIn) {
    Map<String, String> p = new HashMap<>();
    p.put("otel.resource.attributes", "deployment.environment.name=" + ENVIRONMENT);
    p.put("otel.instrumentation.llm-otel.faults.file", file);
    p.put("otel.instrumentation.llm-otel.faults.enabled-in", enabledIn);
    return p;
  }

  @AfterAll
  void stop() {
    for (Drill d : List.of(openAi, anthropic, javaHttp, apacheHttp, bedrock, google, googleOldest, okHttp)) {
      if (d.real != null) d.real.close();
      if (d.injected != null) d.injected.close();
    }
    if (repeat != null) repeat.close();
    if (refused != null) refused.close();
  }

  /** What the app saw, without what differs between two healthy runs: ids, body hashes, answer text. */
  static String outcome(String result) {
    if (result == null) return null;
    String[] words = result.split(" ");
    if (words[0].equals("error")) return "error " + words[1];
    for (String w : words) if (w.startsWith("status=")) return "ok " + w;
    return result.replaceAll("[-_]fake[-_][0-9]+", "_fake_N");
  }

  void assertInjectedFaultsLookReal(Drill d) {
    assertTrue(d.injected.app.output.contains("FAULT INJECTION IS ON in environment \"" + ENVIRONMENT + "\""),
        d.injected.tail());
    assertEquals(0, d.injected.app.exitCode, d.injected.tail());
    for (String scenario : d.realFaults.keySet()) {
      assertEquals(outcome(d.real.result(scenario)), outcome(d.injected.result(scenario)),
          d.name + " " + scenario + ": the injected fault looks like the real one (real: " + d.real.result(scenario)
              + ", injected: " + d.injected.result(scenario) + ")");
    }
    for (Map.Entry<String, String> e : d.injectedKinds.entrySet()) {
      if (e.getKey().equals(SEEDED)) continue; // drawn: see aSeededRunInjectsExactlyTheSameFaults
      List<ReceivedSpan> spans = d.injected.llmSpans(e.getKey());
      assertFalse(spans.isEmpty(), e.getKey());
      assertTrue(String.valueOf(spans.get(0).attributes().get("llm_otel.fault.injected")).contains(e.getValue()),
          d.name + " " + e.getKey() + ": " + spans.get(0).attributes());
    }
    for (Map.Entry<String, String> e : d.requestKinds.entrySet()) {
      ReceivedSpan request = requestSpan(d.injected, e.getKey());
      assertEquals("[" + e.getValue() + "]", String.valueOf(request.attributes().get("llm_otel.fault.injected")),
          d.name + " " + e.getKey() + ": " + request.attributes());
      assertEquals("dev.llmotel.faults", request.scopeName());
      assertEquals("CLIENT", request.kind());
      String url = request.attr("url.full");
      assertTrue(url.contains("/internal/orders/") || url.contains("/internal/search"), url);
      assertFalse(url.contains("?"), "no query (it may carry tokens): " + url);
      assertTrue(d.injected.llmSpans(e.getKey()).isEmpty(), "a request to the app's backend is no LLM call");
      // The real run's request to the backend has no llm-otel span at all: nothing but the drill makes one.
      assertTrue(d.real.receiver.trace(d.real.scenario(e.getKey()).traceId()).stream()
          .noneMatch(s -> "dev.llmotel.faults".equals(s.scopeName())), e.getKey());
    }
  }

  /** The span llm-otel made for the scenario's faulted request to the app's backend. */
  static ReceivedSpan requestSpan(SmokeRun run, String scenario) {
    List<ReceivedSpan> found = new ArrayList<>();
    for (ReceivedSpan s : run.receiver.trace(run.scenario(scenario).traceId())) {
      if ("dev.llmotel.faults".equals(s.scopeName())) found.add(s);
    }
    assertEquals(1, found.size(), scenario + ": " + found);
    return found.get(0);
  }

  @Test
  void openAiSdkMeetsInjectedFaultsAsItMeetsRealOnes() {
    assertInjectedFaultsLookReal(openAi);
    // The SDK retried the injected 429 itself, and only the retry reached the server.
    ReceivedSpan sync = openAi.injected.onlyLlmSpan("sync");
    assertEquals(1L, sync.longAttr("llm_otel.retry.count"));
    assertEquals(429L, sync.events("llm_otel.attempt.failed").get(0).attributes().get("http.response.status_code"));
    assertEquals(1, openAi.injected.llm.requests("sync").size());
    assertEquals(0, openAi.injected.llm.requests("fail-503").size(), "every attempt was answered by the fault");
    assertEquals(3, openAi.injected.onlyLlmSpan("fail-503").events("llm_otel.attempt.failed").size(),
        "the SDK's two retries, as against the real 503s");
  }

  @Test
  void aPlainOkHttpClientsRequestsToItsBackendMeetInjectedFaultsAsRealOnes() {
    Drill d = okHttp;
    assertInjectedFaultsLookReal(d);
    assertEquals(0, d.injected.llm.requests("internal-get").size(), "the injected 429 replaced the request");
    ReceivedSpan backend = requestSpan(d.injected, "internal-get");
    assertEquals("429", backend.attr("error.type"));
    assertEquals("127.0.0.1", backend.attr("server.address"));
    assertPassesThrough(d.injected, "internal-slow", 300);
    assertEquals(1, d.injected.llm.requests("internal-cut").size());
    assertTrue(d.injected.result("internal-cut").startsWith("error java.io."), d.injected.result("internal-cut"));
  }

  @Test
  void anthropicSdkMeetsInjectedFaultsAsItMeetsRealOnes() {
    assertInjectedFaultsLookReal(anthropic);
    assertEquals(1L, anthropic.injected.onlyLlmSpan("chat").longAttr("llm_otel.retry.count"));
    assertEquals(1, anthropic.injected.llm.requests("chat").size());
    assertEquals(0, anthropic.injected.llm.requests("chat-async").size(), "every attempt was answered by the fault");
  }

  @Test
  void aPlainJdkHttpClientMeetsInjectedFaultsAsItMeetsRealOnes() {
    assertInjectedFaultsLookReal(javaHttp);
    Drill d = javaHttp;
    assertEquals(0, d.injected.llm.requests("chat").size(), "the injected 429 replaced the request");
    assertEquals("429", d.injected.onlyLlmSpan("chat").attr("error.type"));
    assertTrue(d.injected.result("chat-async").startsWith("error java.net.ConnectException"), d.injected.result("chat-async"));
    assertTrue(d.injected.result("embeddings").startsWith("error java.net.http.HttpTimeoutException"),
        d.injected.result("embeddings"));
    assertEquals("java.net.http.HttpTimeoutException", d.injected.onlyLlmSpan("embeddings").attr("error.type"));
    ReceivedSpan tool = d.injected.onlyLlmSpan("custom-endpoint");
    assertEquals("tool_calls", tool.attr("gen_ai.response.finish_reasons"));
    assertTrue(d.injected.result("custom-endpoint").startsWith("ok status=200"), d.injected.result("custom-endpoint"));
    ReceivedSpan slow = d.injected.onlyLlmSpan("chat-system");
    assertTrue(slow.endEpochNanos() - slow.startEpochNanos() >= 400_000_000L, "the injected latency is in the call");
    assertTrue(d.injected.result("chat-system").startsWith("ok status=200"), d.injected.result("chat-system"));
    // The JSON body ends after 10 bytes with the I/O error of a dropped connection: send throws it.
    assertTrue(d.injected.result("large-response").startsWith("error java.io."), d.injected.result("large-response"));
    assertEquals("ERROR", d.injected.onlyLlmSpan("large-response").statusCode());
    ReceivedSpan cut = d.injected.onlyLlmSpan("chat-stream");
    assertEquals("ERROR", cut.statusCode(), cut.attributes().toString());
    // Requests to the app's own backend (http_faults): replaced ones never reach it; their span says what happened.
    for (String replaced : List.of("internal-get", "internal-search", "internal-down")) {
      assertEquals(0, d.injected.llm.requests(replaced).size(), replaced);
    }
    assertEquals("503", requestSpan(d.injected, "internal-get").attr("error.type"));
    assertEquals("GET", requestSpan(d.injected, "internal-get").attr("http.request.method"));
    assertEquals("POST", requestSpan(d.injected, "internal-search").attr("http.request.method"));
    assertTrue(d.injected.result("internal-down").startsWith("error java.net.ConnectException"),
        d.injected.result("internal-down"));
    assertEquals("java.net.ConnectException", requestSpan(d.injected, "internal-down").attr("error.type"));
    assertPassesThrough(d.injected, "internal-slow", 300);
  }

  /**
   * A fault that lets the request go on (latency): it reaches the server, and the agent's own HTTP span of
   * the request is a child of llm-otel's span, which lasts the injected delay longer.
   */
  static void assertPassesThrough(SmokeRun run, String scenario, long millis) {
    assertTrue(run.result(scenario).startsWith("ok status=200"), run.result(scenario));
    assertEquals(1, run.llm.requests(scenario).size());
    ReceivedSpan ours = requestSpan(run, scenario);
    assertTrue(ours.durationNanos() >= millis * 1_000_000L, ours.toString());
    assertEquals(200L, ((Number) ours.attributes().get("http.response.status_code")).longValue());
    boolean agentSpanUnder = run.receiver.trace(ours.traceId()).stream()
        .anyMatch(s -> ours.spanId().equals(s.parentSpanId()) && "CLIENT".equals(s.kind()));
    assertTrue(agentSpanUnder, "the agent's HTTP span under llm-otel's: " + run.receiver.trace(ours.traceId()));
  }

  @Test
  void apacheHttpClient5MeetsInjectedFaultsAsItMeetsRealOnes() {
    Drill d = apacheHttp;
    assertInjectedFaultsLookReal(d);
    assertEquals(0, d.injected.llm.requests("chat").size(), "the injected 429 replaced the request");
    assertEquals("429", d.injected.onlyLlmSpan("chat").attr("error.type"));
    // The client retried the injected 429 itself, inside one execute: only its retry reached the server.
    assertTrue(d.injected.result("chat-client-retry").startsWith("ok status=200"), d.injected.result("chat-client-retry"));
    assertEquals(1, d.injected.llm.requests("chat-client-retry").size());
    assertEquals(2, d.real.llm.requests("chat-client-retry").size());
    assertTrue(d.injected.result("chat-handler").startsWith("error org.apache.hc.client5.http.HttpHostConnectException"),
        d.injected.result("chat-handler"));
    assertTrue(d.injected.result("embeddings").startsWith("error java.net.SocketTimeoutException"),
        d.injected.result("embeddings"));
    assertEquals("java.net.SocketTimeoutException", d.injected.onlyLlmSpan("embeddings").attr("error.type"));
    ReceivedSpan tool = d.injected.onlyLlmSpan("custom-endpoint");
    assertEquals("tool_calls", tool.attr("gen_ai.response.finish_reasons"));
    assertTrue(d.injected.result("large-response").startsWith("error org.apache.hc.core5.http.ConnectionClosedException"),
        d.injected.result("large-response"));
    assertEquals("ERROR", d.injected.onlyLlmSpan("large-response").statusCode());
    assertEquals("ERROR", d.injected.onlyLlmSpan("chat-stream").statusCode());
    assertEquals(0, d.injected.llm.requests("sdk-chat").size(), "the malformed answer replaced the framework's request");
    assertEquals(1, d.injected.llmSpans("sdk-chat").size(), "one span, Spring AI's, marked by the HTTP layer's fault");
    assertEquals(0, d.injected.llm.requests("internal-get").size());
    assertEquals("503", requestSpan(d.injected, "internal-get").attr("error.type"));
    assertTrue(d.injected.result("internal-down").startsWith("error org.apache.hc.client5.http.HttpHostConnectException"),
        d.injected.result("internal-down"));
    // The real body, broken after 10 bytes with the client's own error for a dropped connection.
    assertEquals(1, d.injected.llm.requests("internal-cut").size());
    assertTrue(d.injected.result("internal-cut").startsWith("error org.apache.hc.core5.http.ConnectionClosedException"),
        d.injected.result("internal-cut"));
  }

  @Test
  void theAwsSdkMeetsInjectedFaultsInBedrockCallsAsItMeetsRealOnes() {
    Drill d = bedrock;
    assertInjectedFaultsLookReal(d);
    // Throttled, then retried by the SDK: the retry reached the server, the app got its answer.
    ReceivedSpan converse = d.injected.onlyLlmSpan("converse");
    assertEquals(1L, converse.longAttr("llm_otel.retry.count"), converse.attributes().toString());
    assertEquals(1, d.injected.llm.requests("converse").size());
    assertEquals(0, d.injected.llm.requests("converse-async").size(), "every attempt was answered by the fault");
    assertEquals(d.real.llm.requests("converse-async").size(),
        d.injected.onlyLlmSpan("converse-async").longAttr("llm_otel.retry.count") + 1, "as many attempts as against real 503s");
    assertTrue(d.injected.result("converse-async").startsWith(
        "error software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException"), d.injected.result("converse-async"));
    assertEquals("ok embedding", d.injected.result("invoke-embed"), "the SDK retried the timed-out attempt");
    assertEquals(1L, d.injected.onlyLlmSpan("invoke-embed").longAttr("llm_otel.retry.count"));
    assertTrue(d.injected.result("tool-use").startsWith("ok tool=tooluse_llm_otel_fault"), d.injected.result("tool-use"));
    assertEquals("tool_use", d.injected.llmSpans("tool-use").get(0).attr("gen_ai.response.finish_reasons"));
    for (ReceivedSpan cached : d.injected.llmSpans("cached")) {
      assertTrue(cached.endEpochNanos() - cached.startEpochNanos() >= 300_000_000L, "the injected latency is in the call");
    }
    // A stream cut counts event-stream messages; the SDK's Netty client ends a dropped stream as if it
    // had ended, and so does the cut: the spans say the same of both.
    for (String stream : List.of("converse-stream", "invoke-stream")) {
      ReceivedSpan real = d.real.onlyLlmSpan(stream);
      ReceivedSpan injected = d.injected.onlyLlmSpan(stream);
      assertEquals(real.statusCode(), injected.statusCode(), stream);
      assertEquals(real.attr("llm_otel.stream.end"), injected.attr("llm_otel.stream.end"), stream);
      assertEquals(real.longAttr("llm_otel.stream.chunks"), injected.longAttr("llm_otel.stream.chunks"), stream);
    }
  }

  @Test
  void googleGenAiMeetsInjectedFaultsAsItMeetsRealOnes() {
    Drill d = google;
    assertInjectedFaultsLookReal(d);
    assertEquals(1L, d.injected.onlyLlmSpan("chat-retried").longAttr("llm_otel.retry.count"));
    assertEquals(1, d.injected.llm.requests("chat-retried").size(), "only the SDK's retry reached the server");
    assertEquals(0, d.injected.llm.requests("chat").size(), "every attempt was answered by the fault");
    assertEquals(d.real.onlyLlmSpan("chat").longAttr("llm_otel.retry.count"),
        d.injected.onlyLlmSpan("chat").longAttr("llm_otel.retry.count"), "as many retries as against real 503s");
    assertTrue(d.injected.result("tool-use").startsWith("ok tool=launch_rockets"), d.injected.result("tool-use"));
    ReceivedSpan slow = d.injected.onlyLlmSpan("chat-params");
    assertTrue(slow.endEpochNanos() - slow.startEpochNanos() >= 300_000_000L, "the injected latency is in the call");
    assertTrue(d.injected.result("thinking").startsWith("error "), d.injected.result("thinking"));
    assertEquals("ERROR", d.injected.onlyLlmSpan("thinking").statusCode());
  }

  @Test
  void googleGenAi1xOverApacheHttpClient4MeetsInjectedFaultsAsItMeetsRealOnes() {
    Drill d = googleOldest;
    assertInjectedFaultsLookReal(d);
    assertEquals(0, d.injected.llm.requests("chat").size(), "the injected 429 replaced the request");
    assertTrue(d.injected.result("tool-use").startsWith("ok tool=launch_rockets"), d.injected.result("tool-use"));
    ReceivedSpan slow = d.injected.onlyLlmSpan("chat-params");
    assertTrue(slow.endEpochNanos() - slow.startEpochNanos() >= 300_000_000L, "the injected latency is in the call");
    for (String failed : List.of("thinking", "cached")) {
      assertTrue(d.injected.result(failed).startsWith("error "), d.injected.result(failed));
      assertEquals("ERROR", d.injected.onlyLlmSpan(failed).statusCode(), failed);
      assertEquals(0, d.injected.llm.requests(failed).size(), failed);
    }
  }

  @Test
  void aSeededRunInjectsExactlyTheSameFaults() {
    for (String scenario : javaHttp.scenarios) {
      assertEquals(outcome(javaHttp.injected.result(scenario)), outcome(repeat.result(scenario)), scenario);
      assertEquals(faults(javaHttp.injected, scenario), faults(repeat, scenario), scenario);
    }
    // The app's own retry loop: each attempt its own span, each drawn; the seed makes the sequence.
    assertEquals(javaHttp.injected.result(SEEDED), repeat.result(SEEDED));
    assertEquals("ok 500,200", repeat.result(SEEDED), "seed 6 draws a 500, then none");
    assertTrue(faults(repeat, SEEDED).toString().contains("http_500"), faults(repeat, SEEDED) + " " + repeat.result(SEEDED));
  }

  private static List<String> faults(SmokeRun run, String scenario) {
    List<String> out = new ArrayList<>();
    for (ReceivedSpan s : run.llmSpans(scenario)) out.add(String.valueOf(s.attributes().get("llm_otel.fault.injected")));
    return out;
  }

  @Test
  void withoutTheEnablingKeyNothingIsInjected() {
    assertTrue(refused.app.output.contains("fault injection REFUSED"), refused.tail());
    assertTrue(refused.result("chat").startsWith("ok status=200"), refused.result("chat"));
    assertEquals(1, refused.llm.requests("chat").size());
    assertFalse(refused.onlyLlmSpan("chat").hasAttr("llm_otel.fault.injected"));
  }
}
