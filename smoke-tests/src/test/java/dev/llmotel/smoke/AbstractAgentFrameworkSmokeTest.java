package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the agent-framework smoke tests share: one launch of the framework's smoke app through all
 * scenarios (the failing agent run scripted to get two 500s), and reading the span tree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractAgentFrameworkSmokeTest {
  SmokeRun run;

  /** The run's name: the framework, its version line and whether content is captured. */
  abstract String runName();

  /** The smoke app module, and its main class. */
  abstract String appModule();

  abstract String mainClass();

  abstract List<String> scenarios();

  /** The instrumentation scope of the framework's spans. */
  abstract String scope();

  abstract String javaHome();

  /** The agent of the "agent-tool" scenario. */
  abstract String toolAgentName();

  abstract boolean captureContent();

  /** Launch properties an app's scenarios need besides the common ones. */
  Map<String, String> extraProperties() throws Exception {
    return Map.of();
  }

  /** A scenario that calls the chat model directly, without an agent. */
  String directChatScenario() {
    return "chat";
  }

  @BeforeAll
  void runApp() throws Exception {
    run = new SmokeRun();
    run.llm.script("agent-error", Behaviour.error(500), Behaviour.error(500));
    run.llm.script("chat-retried", Behaviour.error(429, "0"));
    scriptOutputScenarios(run.llm);
    Map<String, String> props = new HashMap<>();
    props.put("otel.logs.exporter", "otlp"); // the escalations are log records
    props.put("otel.instrumentation.genai.capture-message-content", String.valueOf(captureContent()));
    props.putAll(extraProperties());
    run.launchApp(runName() + (captureContent() ? "-capture" : ""), appModule(), mainClass(), javaHome(), props,
        scenarios());
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  List<ReceivedSpan> childrenInOrder(ReceivedSpan parent) {
    return SpanTrees.childrenInOrder(run.receiver, parent);
  }

  List<String> names(List<ReceivedSpan> spans) {
    return SpanTrees.names(spans);
  }

  /**
   * The framework sends over a plain HTTP client that llm-otel instruments as well (LangChain4j and
   * Spring AI 1.1 over the JDK's HttpClient, whose copy of llm-otel lives in another class loader;
   * Spring AI 2.0 over the OpenAI SDK's OkHttp): still one LLM span per call, the framework's, and
   * what only the HTTP layer sees, the provider's rate-limit headers, is added to it.
   */
  @Test
  void theHttpClientBelowTheFrameworkAddsTheRateLimitHeadersAndNoSpanOfItsOwn() {
    List<ReceivedSpan> spans = childrenInOrder(run.scenario(directChatScenario()));
    assertEquals(1, spans.size(), spans.toString());
    ReceivedSpan chat = spans.get(0);
    assertEquals(scope(), chat.scopeName());
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_TOKENS, chat.attr("llm_otel.ratelimit.remaining_tokens"), tree(chat));
    assertEquals(FakeLlmServer.RATELIMIT_REMAINING_REQUESTS, chat.attr("llm_otel.ratelimit.remaining_requests"));
    assertEquals(List.of(), run.receiver.spans(s -> s.scopeName().equals("dev.llmotel.java-http-client")
        || s.scopeName().equals("dev.llmotel.okhttp") || s.scopeName().equals("dev.llmotel.apache-httpclient-5")),
        "no LLM span from a plain-HTTP layer in the whole run");
  }

  // ---- output validation ----

  /** An answer in the wrong structure: the schemas want city (and population), not town. */
  static final String WRONG_STRUCTURE = AbstractOpenAiSmokeTest.WRONG_STRUCTURE;
  /** Both properties there, the city not a string (an AI service's typed answer, parsed leniently). */
  static final String WRONG_TYPE = "{\"city\": 42, \"population\": 2100000}";

  /**
   * The answers of the output scenarios, whichever of them an app runs: the "-wrong" ones answer
   * {@link #WRONG_STRUCTURE} as text, or as the arguments of the first tool call; an agent's typed
   * answer {@link #WRONG_TYPE}.
   */
  static void scriptOutputScenarios(FakeLlmServer llm) {
    for (String scenario : List.of("out-wrong", "out-stream-wrong", "out-policy-wrong", "out-policy-stream-wrong")) {
      llm.script(scenario, Behaviour.answerText(WRONG_STRUCTURE));
    }
    llm.script("out-agent-wrong", Behaviour.answerText(WRONG_TYPE));
    llm.script("out-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    llm.script("out-agent-tool-wrong", Behaviour.toolArguments(WRONG_STRUCTURE));
    llm.script("out-not-json", Behaviour.answerText(NOT_JSON));
    llm.script("out-truncated", Behaviour.cutAtTokenLimit());
    llm.script("out-refusal", Behaviour.refusal());
  }

  /** A structured request answered in prose. */
  static final String NOT_JSON = "The capital of France is Paris.";

  /**
   * An answer in prose, and one cut at the token limit (the city's JSON cut in half), to a request
   * that declared a JSON Schema: both not JSON; the cut one escalated as truncated, as its finish
   * reason says.
   */
  void assertProseAndTruncatedAnswersAreEscalated() {
    OutputChecks out = outputChecks();
    assertEquals("ok answer=" + NOT_JSON, run.result("out-not-json"));
    out.assertUnusable("out-not-json", "not_json", "$: not JSON");
    ReceivedSpan cut = out.assertVerdict("out-truncated", "not_json", "$: not JSON");
    assertEquals("length", cut.attr("gen_ai.response.finish_reasons").toLowerCase(java.util.Locale.ROOT));
    out.assertEscalated("out-truncated", "truncated");
  }

  OutputChecks outputChecks() {
    return new OutputChecks(run, captureContent());
  }

  /**
   * Direct model calls (no agent, so the workflow is the scenario's app span) that declare the
   * answer's structure: a JSON Schema response format answered in it is valid; answered in another
   * structure, or with tool arguments outside the tool's schema, invalid and escalated, while the
   * app (the policy off) gets the answer as the framework returned it; and so for a stream.
   */
  void assertDirectStructuredCallsAreCheckedAndEscalated() {
    OutputChecks out = outputChecks();
    String valid = run.result("out-valid");
    assertTrue(valid.startsWith("ok answer={\"city\": \"") && valid.contains("\"population\": "), valid);
    out.assertUsable("out-valid");
    assertEquals("ok answer=" + WRONG_STRUCTURE, run.result("out-wrong"));
    out.assertUnusable("out-wrong", "invalid", "$: required");
    assertEquals("ok answer=" + WRONG_STRUCTURE, run.result("out-stream-wrong"));
    ReceivedSpan stream = out.assertVerdict("out-stream-wrong", "invalid", "$: required");
    assertEquals(Boolean.TRUE, stream.attributes().get("gen_ai.request.stream"));
    out.assertEscalated("out-stream-wrong", "output_invalid");
    assertEquals("ok tool=get_weather " + WRONG_STRUCTURE, run.result("out-tool-wrong"));
    ReceivedSpan tool = out.assertVerdict("out-tool-wrong", "invalid", "tool get_weather: $: required");
    assertEquals("tool_calls", tool.attr("gen_ai.response.finish_reasons"));
    out.assertEscalated("out-tool-wrong", "output_invalid");
    for (String scenario : List.of("out-valid", "out-wrong", "out-stream-wrong", "out-tool-wrong")) {
      ReceivedSpan span = run.onlyLlmSpan(scenario);
      assertEquals(scope(), span.scopeName(), scenario + ": the framework's span owns the call");
      assertEquals("UNSET", span.statusCode(), scenario + ": the policy is off, nothing fails");
      assertNull(span.attr("llm_otel.policy.name"), scenario + ": no policy file, no decision");
    }
  }


  /**
   * An agent run's call whose answer was escalated: the verdict and reason on its span, one record
   * in its context (the log exporter's batches may lag: waits a little), the agent as the workflow.
   */
  void assertAgentCallEscalated(ReceivedSpan chat, String agent, String error) {
    assertEquals("invalid", chat.attr("llm_otel.output.validation"), chat.attributes().toString());
    assertEquals(error, chat.attr("llm_otel.output.validation.error"), chat.attributes().toString());
    assertEquals("output_invalid", chat.attr("llm_otel.escalation.reason"), chat.attributes().toString());
    assertEquals(agent, chat.attr("llm_otel.workflow"), "the agent names the workflow");
    List<dev.llmotel.testkit.otlp.ReceivedLogRecord> records = new OutputChecks(run, false).awaitRecords(chat, 1);
    assertEquals(1, records.size(), "one escalation record in the call's context: " + records);
    assertEquals("output_invalid", records.get(0).attr("llm_otel.escalation.reason"));
    assertEquals(agent, records.get(0).attr("llm_otel.workflow"));
    assertEquals(error, records.get(0).attr("llm_otel.output.validation.error"));
    assertEquals(scope(), records.get(0).scope());
  }

  /** The span tree under a span, one line per span, for failure messages. */
  String tree(ReceivedSpan root) {
    return SpanTrees.tree(run.receiver, root);
  }

  /**
   * A call the OpenAI SDK retried once after a 429: still one span, whose failed first attempt the
   * SDK-level instrumentation recorded on it, with both HTTP attempts under it.
   */
  void assertOneSpanRetriedOnceAfter429(ReceivedSpan chat) {
    assertEquals(1L, chat.longAttr("llm_otel.retry.count"), chat.attributes().toString());
    assertEquals(1, chat.events("llm_otel.attempt.failed").size());
    assertEquals(429L, chat.events("llm_otel.attempt.failed").get(0).attributes().get("http.response.status_code"));
    assertEquals(2, run.receiver.children(chat).stream().filter(s -> s.kind().equals("CLIENT")).count(), tree(chat));
  }

  /** The id the model gave the scenario's tool call, as the app sent it back with the tool's result. */
  String toolCallIdSentBack(String scenario) {
    String callId = null;
    for (JsonNode m : run.llm.requests(scenario).get(1).json().get("messages")) {
      if (m.path("role").asText().equals("tool")) callId = m.path("tool_call_id").asText();
    }
    assertNotNull(callId, "the app sent a tool result back");
    return callId;
  }

  /** The one span directly under the scenario's app span, with this name. */
  ReceivedSpan onlySpanUnder(String scenario, String name) {
    ReceivedSpan root = run.scenario(scenario);
    List<ReceivedSpan> spans = childrenInOrder(root);
    assertEquals(List.of(name), names(spans), tree(root));
    return spans.get(0);
  }

  /**
   * gen_ai.conversation.id: an agent that reads a chat memory is in that memory's conversation (LangChain4j's
   * {@code @MemoryId}, Spring AI's chat-memory conversation id), and so are its model calls; a call the app put
   * in a conversation with the baggage entry gen_ai.conversation.id carries it; a call without either has none.
   */
  @Test
  void theConversationIsTheChatMemorysOrTheOneTheAppNamesInBaggage() {
    List<ReceivedSpan> memory = run.receiver.trace(run.scenario("conv-memory").traceId());
    List<ReceivedSpan> agents = memory.stream().filter(s -> "invoke_agent".equals(s.attr("gen_ai.operation.name")))
        .collect(Collectors.toList());
    assertEquals(1, agents.size(), String.valueOf(memory));
    assertEquals("user-42", agents.get(0).attr("gen_ai.conversation.id"), agents.get(0).toString());
    List<ReceivedSpan> chats = memory.stream().filter(s -> "chat".equals(s.attr("gen_ai.operation.name")))
        .collect(Collectors.toList());
    assertFalse(chats.isEmpty());
    for (ReceivedSpan chat : chats) assertEquals("user-42", chat.attr("gen_ai.conversation.id"), chat.toString());
    List<ReceivedSpan> named = run.receiver.trace(run.scenario("conv-baggage").traceId()).stream()
        .filter(s -> "chat".equals(s.attr("gen_ai.operation.name"))).collect(Collectors.toList());
    assertEquals(1, named.size());
    assertEquals("conv-from-app", named.get(0).attr("gen_ai.conversation.id"));
    for (ReceivedSpan other : childrenInOrder(run.scenario(directChatScenario()))) {
      assertNull(other.attr("gen_ai.conversation.id"), "no conversation named: " + other);
    }
  }

  /** gen_ai.invoke_agent.duration and gen_ai.execute_tool.duration, by agent and tool. */
  @Test
  void agentRunsAndToolExecutionsHaveTheirDurationMetrics() {
    assertTrue(run.receiver.awaitMetric("gen_ai.execute_tool.duration", java.time.Duration.ofSeconds(10)));
    assertTrue(run.receiver.latestPoints("gen_ai.execute_tool.duration").stream()
        .anyMatch(p -> "get_weather".equals(p.attr("gen_ai.tool.name")) && toolAgentName().equals(p.attr("gen_ai.agent.name"))
            && p.count() >= 1), String.valueOf(run.receiver.latestPoints("gen_ai.execute_tool.duration")));
    assertTrue(run.receiver.awaitMetric("gen_ai.invoke_agent.duration", java.time.Duration.ofSeconds(10)));
    assertTrue(run.receiver.latestPoints("gen_ai.invoke_agent.duration").stream()
        .anyMatch(p -> toolAgentName().equals(p.attr("gen_ai.agent.name")) && p.count() >= 1),
        String.valueOf(run.receiver.latestPoints("gen_ai.invoke_agent.duration")));
    // The counts per invocation: as many values as agent runs, summing to the model calls and tools under them.
    List<ReceivedSpan> agents = run.receiver.spans(s -> "invoke_agent".equals(s.attr("gen_ai.operation.name"))
        && scope().equals(s.scopeName()));
    long toolSpans = run.receiver.spans(s -> "execute_tool".equals(s.attr("gen_ai.operation.name"))
        && scope().equals(s.scopeName()) && agents.stream().anyMatch(a -> a.traceId().equals(s.traceId()))).size();
    assertTrue(run.receiver.awaitMetric("gen_ai.invoke_agent.tool_calls", java.time.Duration.ofSeconds(10)));
    List<dev.llmotel.testkit.otlp.ReceivedPoint> tools = run.receiver.latestPoints("gen_ai.invoke_agent.tool_calls");
    assertEquals(agents.size(), tools.stream().mapToLong(dev.llmotel.testkit.otlp.ReceivedPoint::count).sum(), "" + tools);
    assertEquals(toolSpans, (long) tools.stream().mapToDouble(dev.llmotel.testkit.otlp.ReceivedPoint::sum).sum(), "" + tools);
    List<dev.llmotel.testkit.otlp.ReceivedPoint> calls = run.receiver.latestPoints("gen_ai.invoke_agent.inference_calls");
    assertEquals(agents.size(), calls.stream().mapToLong(dev.llmotel.testkit.otlp.ReceivedPoint::count).sum(), "" + calls);
  }

  /** The one invoke_agent span directly under the scenario's app span, checked for its shape. */
  ReceivedSpan onlyAgent(String scenario, String name) {
    ReceivedSpan root = run.scenario(scenario);
    List<ReceivedSpan> agents = childrenInOrder(root).stream()
        .filter(s -> s.name().startsWith("invoke_agent")).collect(Collectors.toList());
    assertEquals(1, agents.size(), "one agent span under the scenario:\n" + tree(root));
    ReceivedSpan agent = agents.get(0);
    assertEquals("invoke_agent " + name, agent.name());
    assertEquals("INTERNAL", agent.kind());
    assertEquals(scope(), agent.scopeName());
    assertEquals("invoke_agent", agent.attr("gen_ai.operation.name"));
    assertEquals(name, agent.attr("gen_ai.agent.name"));
    return agent;
  }

  @Test
  void theToolSpanCarriesTheModelsToolCallIdAndLinksToTheChatThatAskedForIt() {
    List<ReceivedSpan> steps = childrenInOrder(onlyAgent("agent-tool", toolAgentName()));
    ReceivedSpan askTool = steps.get(0);
    ReceivedSpan tool = steps.get(1);
    assertEquals("INTERNAL", tool.kind());
    assertEquals("execute_tool", tool.attr("gen_ai.operation.name"));
    assertEquals("get_weather", tool.attr("gen_ai.tool.name"));
    assertEquals("function", tool.attr("gen_ai.tool.type"));
    String callId = toolCallIdSentBack("agent-tool");
    assertEquals(callId, tool.attr("gen_ai.tool.call.id"));
    assertEquals(1, tool.links().size(), tool.links().toString());
    assertEquals(askTool.spanId(), tool.links().get(0).spanId());
    if (captureContent()) {
      assertNotNull(tool.attr("gen_ai.tool.call.arguments"));
      assertTrue(tool.attr("gen_ai.tool.call.result").contains("temperature_c"), tool.attr("gen_ai.tool.call.result"));
      assertTrue(askTool.attr("gen_ai.output.messages").contains(callId));
    } else {
      assertNull(tool.attr("gen_ai.tool.call.arguments"));
      assertNull(tool.attr("gen_ai.tool.call.result"));
      assertNull(askTool.attr("gen_ai.input.messages"));
    }
  }

  /** gpt-4o-mini's bundled price, USD per token: input, output. */
  static final double GPT_4O_MINI_INPUT = 0.15e-6;
  static final double GPT_4O_MINI_OUTPUT = 0.60e-6;

  /**
   * Each call of a tool loop reports its own usage, the fake server's numbers for that request
   * (prompt: 4 + words per message; the tool call {"city":"fake"}: one word plus one; the answer:
   * its words), and its cost is that usage priced, not the loop's running total.
   */
  @Test
  void eachCallOfAToolLoopReportsItsOwnUsageAndCostAsTheServerCountedThem() {
    List<ReceivedSpan> steps = childrenInOrder(onlyAgent("agent-tool", toolAgentName()));
    List<dev.llmotel.testkit.fakellm.RecordedRequest> sent = run.llm.requests("agent-tool");
    assertEquals(2, sent.size(), sent.toString());
    String answer = run.result("agent-tool").substring("ok ".length());
    long[][] expected = {
        {FakeLlmServer.promptTokens(sent.get(0).json().get("messages")), 2},
        {FakeLlmServer.promptTokens(sent.get(1).json().get("messages")), FakeLlmServer.words(answer)}};
    ReceivedSpan[] chats = {steps.get(0), steps.get(2)};
    for (int i = 0; i < 2; i++) {
      ReceivedSpan chat = chats[i];
      assertEquals(expected[i][0], chat.longAttr("gen_ai.usage.input_tokens"), "call " + i + ": " + chat.attributes());
      assertEquals(expected[i][1], chat.longAttr("gen_ai.usage.output_tokens"), "call " + i + ": " + chat.attributes());
      double cost = expected[i][0] * GPT_4O_MINI_INPUT + expected[i][1] * GPT_4O_MINI_OUTPUT;
      assertEquals(cost, chat.doubleAttr("llm_otel.cost.usd"), cost * 1e-3, "call " + i + ": " + chat.attributes());
    }
  }

  /** The framework's chat span names the server the model was configured with (the fake server). */
  @Test
  void frameworkChatSpansNameTheServerOfTheModelsBaseUrl() {
    List<ReceivedSpan> steps = childrenInOrder(onlyAgent("agent-tool", toolAgentName()));
    for (ReceivedSpan chat : List.of(steps.get(0), steps.get(2), onlySpanUnder(directChatScenario(), "chat gpt-4o-mini"))) {
      assertEquals("127.0.0.1", chat.attr("server.address"), chat.attributes().toString());
      assertEquals((long) run.llm.port(), chat.longAttr("server.port"), chat.attributes().toString());
    }
  }
}
