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
 * The agent frameworks' and the Anthropic, Google GenAI and Bedrock SDKs' instrumentation never changes what the app sees,
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
    try (SmokeRun plain = new SmokeRun()) {
      script(plain, 1);
      plain.launchAppWithoutAgent("safety-" + appModule + "-no-agent", appModule, mainClass,
          System.getProperty("java.home"), scenarios);
      assertEquals(0, plain.app.exitCode, plain.tail());
      for (String s : scenarios) expected.add(plain.result(s));
    }
    try (SmokeRun faulted = new SmokeRun()) {
      script(faulted, ROUNDS.size());
      faulted.launchAppRounds("safety-" + appModule + "-faults", appModule, mainClass,
          System.getProperty("java.home"), Map.of("otel.instrumentation.genai.capture-message-content", "true"),
          ROUNDS, scenarios);
      assertEquals(0, faulted.app.exitCode, faulted.tail());
      for (String round : ROUNDS) {
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
    return result == null ? null : result.replaceAll("_fake_[0-9]+", "_fake_N");
  }

  /** The failing scenarios' scripts, once per run of the scenarios. */
  static void script(SmokeRun run, int runs) {
    List<Behaviour> errors = new ArrayList<>();
    for (int i = 0; i < runs; i++) errors.addAll(Arrays.asList(Behaviour.error(500), Behaviour.error(500)));
    run.llm.script("agent-error", errors.toArray(new Behaviour[0]));
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

  @Test
  void langChain4j() throws Exception {
    assertTheAppSeesWhatItSeesAlone("langchain4j-app-newest", "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp",
        Arrays.asList("agent-tool", "agent-failing-tool", "agent-error", "agent-stream", "chat", "chat-stream",
            "embeddings", "rag"),
        // Attempts are seen by the OpenAI SDK's instrumentation only; LangChain4j's HTTP client has none.
        List.of("attempt"));
  }
}
