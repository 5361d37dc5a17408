package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDK's java.net.http.HttpClient (on the build's Java 17). */
class JavaHttpClientSmokeTest extends AbstractRawHttpSmokeTest {
  @Override String appModule() { return "java-http-client-app"; }
  @Override String mainClass() { return "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp"; }
  @Override String scope() { return "dev.llmotel.java-http-client"; }
  @Override String asyncScenario() { return "chat-async"; }
  @Override List<String> extraScenarios() { return List.of("body-read-once"); }

  @Test
  void aRequestBodyTheClientReadsOnceIsSentAsIsAndTheCallStillTraced() {
    List<ReceivedSpan> spans = calls("body-read-once");
    assertEquals(1, spans.size());
    ReceivedSpan span = spans.get(0);
    assertEquals("chat", span.name(), "the model is in the body, which llm-otel does not read");
    assertNull(span.attr("gen_ai.request.model"));
    assertEquals(usageTheAppRead("body-read-once")[0], span.longAttr("gen_ai.usage.input_tokens"),
        "the response is still read");
  }
}
