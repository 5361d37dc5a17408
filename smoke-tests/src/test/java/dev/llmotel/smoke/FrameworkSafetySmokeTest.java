package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent frameworks', the Anthropic, Google GenAI and Bedrock SDKs', the MCP SDK's and the plain HTTP
 * clients' instrumentation never changes what the app sees,
 * even when every stage of our hooks throws: each smoke app runs its scenarios without any agent,
 * then under the agent once per round of injected failures (as {@link SafetySmokeTest} does for the
 * OpenAI SDK), and every result and exception must be the same. Spring AI's instrumentation replaces the
 * observation Spring AI gets, so this covers the wrapper as well as the hooks.
 */
class FrameworkSafetySmokeTest {
  static final List<String> ROUNDS = SafetySmokeTest.ROUNDS;

  /** Runs the app alone, then under the agent with each round of faults, and compares. */
  static void assertTheAppSeesWhatItSeesAlone(String appModule, String mainClass, List<String> scenarios,
      List<String> stagesItHasNot) throws Exception {
    List<String> expected = new ArrayList<>();
    // A round whose every stage the app's instrumentation has not would only run the scenarios again.
    List<String> rounds = ROUNDS.stream()
        .filter(round -> Arrays.stream(round.split(",")).anyMatch(stage -> !stagesItHasNot.contains(stage)))
        .collect(java.util.stream.Collectors.toList());
    try (SmokeRun plain = new SmokeRun(); SmokeRun faulted = new SmokeRun()) {
      script(plain, 1);
      script(faulted, rounds.size());
      SmokeRun.launchTogether(
          () -> faulted.launchAppRounds("safety-" + appModule + "-faults", appModule, mainClass,
              System.getProperty("java.home"), Map.of("otel.instrumentation.genai.capture-message-content", "true"),
              rounds, scenarios),
          () -> plain.launchAppWithoutAgent("safety-" + appModule + "-no-agent", appModule, mainClass,
              System.getProperty("java.home"), scenarios));
      assertEquals(0, plain.app.exitCode, plain.tail());
      for (String s : scenarios) expected.add(plain.result(s));
      assertEquals(0, faulted.app.exitCode, faulted.tail());
      for (String round : rounds) {
        for (int i = 0; i < scenarios.size(); i++) {
          // Ids count the fake server's requests, which go on across rounds.
          assertEquals(withoutIds(expected.get(i)), withoutIds(faulted.result(round + "/" + scenarios.get(i))),
              "round " + round + ", scenario " + scenarios.get(i));
        }
        for (String stage : round.split(",")) {
          if (stagesItHasNot.contains(stage)) continue;
          assertTrue(faulted.app.output.contains("llm-otel test fault injected at stage " + stage),
              appModule + ": stage " + stage + " was made to fail");
        }
      }
      for (String line : faulted.app.instrumentationErrors()) {
        assertTrue(line.contains("failed; the application call is unaffected"), line);
      }
    }
  }

  static String withoutIds(String result) {
    // A plain-HTTP app's result also names its body's bytes exactly: its idfree hash stands for them here.
    return result == null ? null
        : result.replaceAll("_fake_[0-9]+", "_fake_N").replaceAll(" bytes=[0-9]+ sha256=[0-9a-f]+", "");
  }

  /** The failing scenarios' scripts, once per run of the scenarios. */
  static void script(SmokeRun run, int runs) {
    List<Behaviour> errors = new ArrayList<>();
    List<Behaviour> retried = new ArrayList<>();
    List<Behaviour> large = new ArrayList<>();
    List<Behaviour> longStream = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      errors.addAll(Arrays.asList(Behaviour.error(500), Behaviour.error(500)));
      retried.addAll(Arrays.asList(Behaviour.error(429, "0"), Behaviour.ok()));
      large.add(Behaviour.chunks(6000));
      longStream.add(Behaviour.chunks(5000));
    }
    run.llm.script("agent-error", errors.toArray(new Behaviour[0]));
    run.llm.script("retried-429", retried.toArray(new Behaviour[0]));
    run.llm.script("large-response", large.toArray(new Behaviour[0]));
    run.llm.script("chat-stream-abandoned", longStream.toArray(new Behaviour[0]));
  }

  /** A plain-HTTP app's scenarios: JSON and streams in the three wire formats, abandoned and unread bodies, a retry. */
  static List<String> rawHttpScenarios(String asyncScenario) {
    return Arrays.asList("chat", asyncScenario, "chat-stream", "chat-stream-abandoned", "body-never-read",
        "embeddings", "anthropic", "gemini", "gemini-stream", "retried-429", "large-response");
  }

  @Test
  void springAi() throws Exception {
    assertTheAppSeesWhatItSeesAlone("spring-ai-app-boot4", "dev.llmotel.smoke.springai.SpringAiSmokeApp",
        Arrays.asList("agent-tool", "agent-failing-tool", "agent-error", "agent-stream", "chat", "chat-stream",
            "chat-stream-cancelled", "embeddings", "rag"),
        // Its streams end at the observation's stop, the "end" stage.
        List.of("stream-end"));
  }

  @Test
  void anthropicSdk() throws Exception {
    assertTheAppSeesWhatItSeesAlone("anthropic-app-newest", "dev.llmotel.smoke.anthropic.AnthropicSmokeApp",
        Arrays.asList("chat", "chat-async", "chat-stream", "chat-stream-async", "chat-stream-closed-early",
            "tool-use", "cached"),
        List.of());
  }

  @Test
  void googleGenAiSdk() throws Exception {
    assertTheAppSeesWhatItSeesAlone("google-genai-app-newest", "dev.llmotel.smoke.googlegenai.GoogleGenAiSmokeApp",
        Arrays.asList("chat", "chat-async", "chat-stream", "chat-stream-async", "chat-stream-closed-early",
            "tool-use", "thinking", "embed", "vertex-chat"),
        List.of());
  }

  @Test
  void bedrockRuntime() throws Exception {
    assertTheAppSeesWhatItSeesAlone("bedrock-app-newest", "dev.llmotel.smoke.bedrock.BedrockSmokeApp",
        Arrays.asList("converse", "converse-async", "converse-stream", "converse-stream-cancelled", "tool-use",
            "invoke", "invoke-embed", "invoke-stream"),
        List.of());
  }

  // The plain HTTP clients have no SDK retry loop to watch: no "attempt" stage.
  @Test
  void okHttp() throws Exception {
    assertTheAppSeesWhatItSeesAlone("okhttp-app-5", "dev.llmotel.smoke.okhttp.OkHttpSmokeApp",
        rawHttpScenarios("chat-enqueued"), List.of("attempt"));
  }

  @Test
  void javaHttpClient() throws Exception {
    assertTheAppSeesWhatItSeesAlone("java-http-client-app", "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp",
        rawHttpScenarios("chat-async"), List.of("attempt"));
  }

  @Test
  void apacheHttpClient5() throws Exception {
    assertTheAppSeesWhatItSeesAlone("apache-httpclient-5-app-newest", "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp",
        rawHttpScenarios("chat-handler"), List.of("attempt"));
  }

  /**
   * MCP clients and the servers they start (each in a JVM of its own, whose hooks fail at the same stages as
   * the client's), with the SDK's classic API and its second one: tools that answer, that report an error,
   * and that do not exist. MCP requests have no governance, attribute extractor, metrics listener, chunks or
   * SDK attempts of llm-otel's.
   */
  @Test
  void mcp() throws Exception {
    assertTheAppSeesWhatItSeesAlone("mcp-app-newest", "dev.llmotel.smoke.mcp.McpSmokeApp",
        Arrays.asList("mcp-stdio-errors", "mcp-modern-stdio"),
        List.of("governance", "attributes", "metrics", "chunk", "stream-end", "attempt"));
  }

  @Test
  void langChain4j() throws Exception {
    assertTheAppSeesWhatItSeesAlone("langchain4j-app-newest", "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp",
        Arrays.asList("agent-tool", "agent-failing-tool", "agent-error", "agent-stream", "chat", "chat-stream",
            "embeddings", "rag"),
        // Attempts are seen by the OpenAI SDK's instrumentation only; LangChain4j's HTTP client has none.
        List.of("attempt"));
  }
}
