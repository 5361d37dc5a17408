package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
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
  /** LangChain4j's base exception of its model modules, for an answer the app cannot use; streams too. */
  @Override String unusableAnswerType() { return "dev.langchain4j.exception.LangChain4jException"; }
  @Override String rejectedStreamType() { return unusableAnswerType(); }

  @Override
  List<String> scenarios() {
    List<String> all = new ArrayList<>(super.scenarios());
    all.add("gov-stream-refused");
    return all;
  }

  @Test
  void aRefusedStreamFailsThroughItsHandlerAndSendsNothing() {
    assertEquals("error " + REFUSED, run.result("gov-stream-refused").split(" llm-otel")[0]);
    assertEquals(0, run.llm.requests("gov-stream-refused").size());
    GovernanceEnforceSmokeTest.assertRefused(chats("gov-stream-refused").get(0), "input_tokens", REFUSED);
  }
}
