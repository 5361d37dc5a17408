package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDK's java.net.http.HttpClient (on the build's Java 17). */
class JavaHttpClientSmokeTest extends AbstractRawHttpSmokeTest {
  @Override String appModule() { return "java-http-client-app"; }
  @Override String mainClass() { return "dev.llmotel.smoke.javahttp.JavaHttpClientSmokeApp"; }
  @Override String scope() { return "dev.llmotel.java-http-client"; }
  @Override String asyncScenario() { return "chat-async"; }
  @Override List<String> extraScenarios() { return List.of("body-read-once", "responses", "responses-stream"); }

  @Test
  void theResponsesApiIsRecognisedWholeAndStreamed() {
    for (String scenario : List.of("responses", "responses-stream")) {
      ReceivedSpan span = onlyCall(scenario, "chat gpt-4o-mini");
      assertEquals("stop", span.attr("gen_ai.response.finish_reasons"), scenario + ": completed, no function call");
      assertEquals(usageTheAppRead(scenario)[0], span.longAttr("gen_ai.usage.input_tokens"), scenario);
      assertEquals(usageTheAppRead(scenario)[1], span.longAttr("gen_ai.usage.output_tokens"), scenario);
      assertTrue(span.attr("gen_ai.response.id").startsWith("resp_"), span.attr("gen_ai.response.id"));
    }
  }

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
