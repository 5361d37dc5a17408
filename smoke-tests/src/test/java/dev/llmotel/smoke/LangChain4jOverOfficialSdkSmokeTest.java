package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's langchain4j-open-ai-official models call the OpenAI Java SDK, which llm-otel also
 * instruments: one logical model call still gets exactly one chat span, LangChain4j's, and the
 * SDK-level instrumentation adds to it what only it sees (each HTTP attempt of its retry loop).
 */
class LangChain4jOverOfficialSdkSmokeTest extends AbstractAgentFrameworkSmokeTest {
  static final String SCOPE = "dev.llmotel.langchain4j";

  @Override String runName() { return "langchain4j-official"; }
  @Override String appModule() { return "langchain4j-app-official"; }
  @Override String mainClass() { return "dev.llmotel.smoke.langchain4j.LangChain4jOfficialSmokeApp"; }
  static final List<String> OUTPUT_SCENARIOS = Arrays.asList("out-valid", "out-wrong", "out-default-json",
      "out-tool-wrong", "out-stream-wrong", "out-agent-wrong");

  @Override List<String> scenarios() {
    List<String> all = new java.util.ArrayList<>(Arrays.asList("agent-tool", "chat-retried", "chat-stream", "conv-memory",
        "conv-baggage"));
    all.addAll(OUTPUT_SCENARIOS);
    return all;
  }
  @Override String directChatScenario() { return "chat-retried"; }
  @Override String scope() { return SCOPE; }
  @Override String javaHome() { return System.getProperty("java.home"); }
  @Override boolean captureContent() { return false; }
  @Override String toolAgentName() { return "WeatherAssistant"; }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    assertEquals(0, run.app.exitCode, run.tail());
    assertEquals(scenarios().size(), run.app.results.size(), "results: " + run.app.results + "\n" + run.tail());
    assertEquals(List.of(), run.app.instrumentationErrors());
    for (String scenario : scenarios()) assertTrue(run.result(scenario).startsWith("ok "), run.result(scenario));
  }

  @Test
  void theSdkLevelInstrumentationMakesNoSpanOfItsOwn() {
    List<ReceivedSpan> llmSpans = run.receiver.spans(s -> s.attr("gen_ai.operation.name") != null
        && s.attr("gen_ai.operation.name").equals("chat"));
    // agent-tool: two model calls; chat-retried, chat-stream, conv-memory, conv-baggage: one each; each output
    // scenario: one.
    assertEquals(6 + OUTPUT_SCENARIOS.size(), llmSpans.size(), llmSpans.toString());
    assertTrue(llmSpans.stream().allMatch(s -> s.scopeName().equals(SCOPE)), llmSpans.toString());
    for (ReceivedSpan chat : llmSpans) {
      assertTrue(run.receiver.children(chat).stream().allMatch(s -> s.kind().equals("CLIENT") && !s.name().startsWith("chat")),
          "only the HTTP client's spans under the chat span: " + tree(chat));
    }
  }

  @Test
  void anAgentRunOverTheSdkIsAChatThenTheToolThenAChat() {
    ReceivedSpan agent = onlyAgent("agent-tool", "WeatherAssistant");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"), names(steps),
        tree(agent));
    assertEquals("tool_calls", steps.get(0).attr("gen_ai.response.finish_reasons"));
    assertEquals(1, run.receiver.children(steps.get(0)).size(), tree(agent));
  }

  /**
   * Output validation over the SDK: the SDK-level instrumentation sees the same response format and
   * answer, yet each call has one verdict and one escalation, on LangChain4j's span (OutputChecks
   * finds exactly one LLM span and one record per scenario).
   */
  @Test
  void structuredAnswersOverTheSdkAreCheckedOnceOnLangChain4jsSpan() {
    assertDirectStructuredCallsAreCheckedAndEscalated();
    OutputChecks out = outputChecks();
    out.assertUsable("out-default-json");
    ReceivedSpan agent = onlyAgent("out-agent-wrong", "CityAssistant");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(List.of("chat gpt-4o-mini"), names(steps), tree(agent));
    assertAgentCallEscalated(steps.get(0), "CityAssistant", "$.city: type");
    assertEquals("ok answer=city=42 population=2100000", run.result("out-agent-wrong"));
  }

  @Test
  void theSdksRetryOfA429IsRecordedOnLangChain4jsSpan() {
    ReceivedSpan chat = onlySpanUnder("chat-retried", "chat gpt-4o-mini");
    assertEquals("UNSET", chat.statusCode());
    assertOneSpanRetriedOnceAfter429(chat);
  }

  @Test
  void aStreamOverTheSdkIsOneChatSpanEndingWithTheAnswer() {
    ReceivedSpan chat = onlySpanUnder("chat-stream", "chat gpt-4o-mini");
    assertEquals(Boolean.TRUE, chat.attributes().get("gen_ai.request.stream"));
    assertEquals("stop", chat.attr("gen_ai.response.finish_reasons"));
    String appSaw = run.result("chat-stream");
    long partials = Long.parseLong(appSaw.substring("ok chunks=".length(), appSaw.indexOf(' ', "ok chunks=".length())));
    assertEquals(partials, chat.longAttr("llm_otel.stream.chunks"));
    // The usage chunk's numbers, the server's for this request.
    run.assertServedUsage("chat-stream", chat);
  }
}
