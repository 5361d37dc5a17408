package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apache HttpClient 5 classic, the newest release of the line proven here, and Spring AI over it. */
class ApacheHttpClient5NewestSmokeTest extends AbstractRawHttpSmokeTest {
  static final String SCOPE = "dev.llmotel.apache-httpclient-5";

  @Override String appModule() { return "apache-httpclient-5-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.apachehttp.ApacheHttpClientSmokeApp"; }
  @Override String scope() { return SCOPE; }
  @Override String asyncScenario() { return "chat-handler"; }
  @Override List<String> extraScenarios() { return List.of("body-read-once", "sdk-chat"); }

  @Test
  void aSpringAiCallOverTheSameHttpClientIsOneSpanEnrichedByTheHttpLayer() {
    List<ReceivedSpan> spans = calls("sdk-chat");
    assertEquals(1, spans.size(), spans.toString());
    ReceivedSpan span = spans.get(0);
    assertEquals("dev.llmotel.spring-ai", span.scopeName(), "Spring AI's span owns the call");
    assertEquals("chat gpt-4o-mini", span.name());
    assertTrue(run.receiver.spans(s -> s.scopeName().equals(SCOPE) && s.traceId().equals(span.traceId())).isEmpty(),
        "no second LLM span from the HTTP layer");
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_TOKENS, span.attr("llm_otel.ratelimit.remaining_tokens"),
        "what only the HTTP layer sees is added to Spring AI's span");
    assertEquals(1, run.receiver.children(span).size(), "the agent's HTTP client span under it");
  }
}
