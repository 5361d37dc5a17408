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

/** An openai-java release below the supported range is left alone: no LLM span, no error, the app works. */
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
      assertFalse(trace.stream().anyMatch(s -> s.hasAttr("gen_ai.operation.name")), "no LLM span: " + trace);
      assertTrue(trace.stream().anyMatch(s -> "CLIENT".equals(s.kind())), "the agent's HTTP span is still there");
      assertEquals(1, llm.requests().size());
    }
  }
}
