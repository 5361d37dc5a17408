package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator's choice to keep the Anthropic SDK's own spans (3.13 on): they come back, besides
 * llm-otel's span, which still owns the call. Without the switch (the other Anthropic smoke tests)
 * there are none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnthropicSdkSpansSmokeTest {
  SmokeRun run;

  @BeforeAll
  void launch() throws Exception {
    run = new SmokeRun();
    run.launchApp("anthropic-sdk-spans", "anthropic-app-newest", "dev.llmotel.smoke.anthropic.AnthropicSmokeApp",
        System.getProperty("java.home"), Map.of("otel.instrumentation.llm-otel.anthropic.sdk-spans", "true"),
        Arrays.asList("chat"));
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void theSdksOwnSpanIsBackBesidesOurs() {
    run.assertRanCleanly(1);
    String trace = run.scenario("chat").traceId();
    List<ReceivedSpan> ours = run.receiver.spans(s -> s.traceId().equals(trace)
        && s.scopeName().equals(AbstractAnthropicSmokeTest.SCOPE));
    assertEquals(1, ours.size());
    List<ReceivedSpan> sdk = run.receiver.spans(s -> s.traceId().equals(trace) && s.scopeName().startsWith("com.anthropic"));
    assertFalse(sdk.isEmpty(), "the SDK's own span: " + run.receiver.spans(s -> s.traceId().equals(trace)));
  }
}
