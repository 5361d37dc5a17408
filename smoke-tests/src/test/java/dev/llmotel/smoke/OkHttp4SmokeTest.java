package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OkHttp 4.12.0, in an app that also calls the OpenAI SDK over the same OkHttp. */
class OkHttp4SmokeTest extends AbstractRawHttpSmokeTest {
  static final String SCOPE = "dev.llmotel.okhttp";

  @Override String mainClass() { return "dev.llmotel.smoke.okhttp.OkHttpSmokeApp"; }
  @Override String scope() { return SCOPE; }
  @Override String asyncScenario() { return "chat-enqueued"; }
  @Override List<String> extraScenarios() { return List.of("sdk-chat"); }
  @Override String appModule() { return "okhttp-app-4"; }

  @Test
  void anSdkCallOverTheSameOkHttpIsOneSpanEnrichedByTheHttpLayer() {
    List<ReceivedSpan> spans = calls("sdk-chat");
    assertEquals(1, spans.size(), spans.toString());
    ReceivedSpan span = spans.get(0);
    assertEquals("dev.llmotel.openai-java", span.scopeName(), "the SDK's span owns the call");
    assertTrue(run.receiver.spans(s -> s.scopeName().equals(SCOPE) && s.traceId().equals(span.traceId())).isEmpty(),
        "no second LLM span from the HTTP layer");
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_TOKENS, span.attr("llm_otel.ratelimit.remaining_tokens"),
        "what only the HTTP layer sees is added to the SDK's span");
  }
}
