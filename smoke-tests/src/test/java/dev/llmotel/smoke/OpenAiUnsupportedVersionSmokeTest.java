package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An openai-java release below the supported range is left alone by the SDK module: no SDK-level span,
 * no error, the app works. Its requests are still LLM calls over OkHttp, so the plain-HTTP layer gives
 * each the span a legacy app's raw call gets.
 */
class OpenAiUnsupportedVersionSmokeTest {

  @Test
  void anOlderSdkIsLeftAlone() throws Exception {
    try (FakeLlmServer llm = FakeLlmServer.start(0); OtlpReceiver receiver = OtlpReceiver.start()) {
      AgentApp app = AgentApp.run("openai-unsupported", System.getProperty("java.home"),
          AgentApp.appClasspath("openai-app-unsupported"), "dev.llmotel.smoke.unsupported.UnsupportedSdkApp",
          receiver.endpoint(), Collections.<String, String>emptyMap(),
          Collections.singletonList(llm.baseUrl() + "/v1"));
      assertEquals(0, app.exitCode, app.output);
      assertTrue(app.results.get("unsupported").startsWith("ok Fake answer"), app.results.toString());
      assertEquals(List.of(), app.instrumentationErrors());
      List<ReceivedSpan> scenario = receiver.awaitSpans(s -> s.name().equals("scenario unsupported"), 1,
          Duration.ofSeconds(10));
      assertEquals(1, scenario.size());
      List<ReceivedSpan> trace = receiver.trace(scenario.get(0).traceId());
      assertFalse(trace.stream().anyMatch(s -> s.scopeName().equals("dev.llmotel.openai-java")),
          "no span of the SDK module: " + trace);
      List<ReceivedSpan> llmSpans = trace.stream().filter(s -> s.hasAttr("gen_ai.operation.name"))
          .collect(java.util.stream.Collectors.toList());
      assertEquals(1, llmSpans.size(), "the plain-HTTP layer's span only: " + trace);
      assertEquals("dev.llmotel.okhttp", llmSpans.get(0).scopeName());
      assertEquals("chat gpt-4o-mini", llmSpans.get(0).name());
      assertEquals(1, receiver.children(llmSpans.get(0)).size(), "the agent's HTTP span under it");
      assertEquals(1, llm.requests().size());
    }
  }
}
