package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's model modules turn a 400 into its InvalidRequestException; a streamed call reports
 * its failure to the handler, and so does a refused one.
 */
class LangChain4jGovernanceSmokeTest extends AbstractFrameworkGovernanceSmokeTest {
  static final String REFUSED = "dev.langchain4j.exception.InvalidRequestException";

  @Override String appModule() { return "langchain4j-app-newest"; }
  @Override String mainClass() { return "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp"; }
  @Override String agentName() { return "WeatherAssistant"; }
  @Override String refusedType() { return REFUSED; }

  @Override
  List<String> scenarios() {
    return Arrays.asList("gov-big-prompt", "gov-loop", "gov-stream-refused");
  }

  @Test
  void aRefusedStreamFailsThroughItsHandlerAndSendsNothing() {
    assertEquals("error " + REFUSED, run.result("gov-stream-refused").split(" llm-otel")[0]);
    assertEquals(0, run.llm.requests("gov-stream-refused").size());
    GovernanceEnforceSmokeTest.assertRefused(chats("gov-stream-refused").get(0), "input_tokens", REFUSED);
  }
}
