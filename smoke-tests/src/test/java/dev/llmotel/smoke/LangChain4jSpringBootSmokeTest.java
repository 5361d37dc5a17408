package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spring Boot web service built like LangChain4j's customer-support-agent-example and
 * spring-boot-example (smoke-tests/langchain4j-spring-boot-app) under the real agent: the OpenAI
 * models of the LangChain4j starter over Spring's RestClient on Reactor Netty, AI services with tools,
 * session memory, RAG over a local embedding model, and a Flux-streaming service. The app calls its
 * own endpoints, so each trace is: scenario span, the app's GET, the server span of the route, the
 * agent run, its model calls, their HTTP requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LangChain4jSpringBootSmokeTest {
  static final List<String> SCENARIOS = List.of("support-session", "support-other-session", "assistant",
      "streaming-assistant", "streaming-assistant-error");
  /**
   * Output validation: direct calls of the starter's models declaring the answer's structure (a job
   * of the app, so the workflow is its scenario span), and a typed AI service behind an endpoint.
   */
  static final List<String> OUTPUT_SCENARIOS = List.of("out-valid", "out-wrong", "out-tool-wrong", "out-stream-wrong",
      "out-endpoint-wrong");
  /** Everything the app runs, in order. */
  static final List<String> LAUNCHED = java.util.stream.Stream.concat(SCENARIOS.stream(), OUTPUT_SCENARIOS.stream())
      .collect(Collectors.toList());
  /** The scenarios whose agent runs end in an answer (not the failing stream). */
  static final List<String> ANSWERED = SCENARIOS.subList(0, 4);
  static final String SCOPE = "dev.llmotel.langchain4j";
  static final String CHAT = "chat gpt-4o-mini";
  static final String LOCAL_EMBEDDINGS = "embeddings all-minilm-l6-v2";
  static final String REACTOR_NETTY = "io.opentelemetry.reactor-netty-1.0";
  static final Map<String, String> ROUTE = Map.of(
      "support-session", "/sessions/{sessionId}/support",
      "support-other-session", "/sessions/{sessionId}/support",
      "assistant", "/assistant",
      "streaming-assistant", "/streamingAssistant",
      "streaming-assistant-error", "/streamingAssistant");
  static final Map<String, String> AGENT = Map.of(
      "support-session", "CustomerSupportAgent",
      "support-other-session", "CustomerSupportAgent",
      "assistant", "Assistant",
      "streaming-assistant", "StreamingAssistant",
      "streaming-assistant-error", "StreamingAssistant");
  /** gpt-4o-mini's bundled price, USD per token: input, output. */
  static final double GPT_4O_MINI_INPUT = 0.15e-6;
  static final double GPT_4O_MINI_OUTPUT = 0.60e-6;

  SmokeRun run;

  @BeforeAll
  void runApp() throws Exception {
    run = new SmokeRun();
    // The first model call of the failing stream is cut after its role chunk and one argument fragment.
    run.llm.script("streaming-assistant-error", Behaviour.streamCut(2));
    AbstractAgentFrameworkSmokeTest.scriptOutputScenarios(run.llm);
    run.llm.script("out-endpoint-wrong", Behaviour.answerText(AbstractAgentFrameworkSmokeTest.WRONG_TYPE));
    run.launchApp("langchain4j-spring-boot", "langchain4j-spring-boot-app",
        "dev.llmotel.smoke.lc4jboot.LangChain4jSpringBootSmokeApp", System.getProperty("java.home"),
        Map.of("otel.instrumentation.genai.capture-message-content", "false",
            "otel.logs.exporter", "otlp"), // the escalations are log records
        LAUNCHED);
  }

  @AfterAll
  void stop() {
    if (run != null) run.close();
  }

  @Test
  void theAppRanEveryScenarioOverItsOwnEndpointsWithoutInstrumentationErrors() {
    run.assertRanCleanly(LAUNCHED.size());
    for (String scenario : LAUNCHED) {
      assertTrue(run.result(scenario).startsWith("ok "), scenario + ": " + run.result(scenario) + "\n" + run.tail());
    }
    assertTrue(run.result("streaming-assistant").startsWith("ok status=200 events="),
        run.result("streaming-assistant"));
    assertFalse(run.receiver.rawBytesContain(AbstractOpenAiSmokeTest.API_KEY), "no API key in any exported byte");
  }

  /** Each agent run sits directly under the server span of its route, which serves the app's own GET. */
  @Test
  void eachAgentRunsUnderTheServerSpanOfItsRoute() {
    for (String scenario : SCENARIOS) {
      ReceivedSpan root = run.scenario(scenario);
      List<ReceivedSpan> agents = agentRuns(scenario);
      int turns = scenario.equals("support-session") ? 2 : 1;
      assertEquals(turns, agents.size(), scenario + ":\n" + tree(root));
      for (ReceivedSpan agent : agents) {
        assertEquals("INTERNAL", agent.kind());
        assertEquals(SCOPE, agent.scopeName());
        assertEquals(AGENT.get(scenario), agent.attr("gen_ai.agent.name"));
        ReceivedSpan server = parent(agent);
        assertEquals("SERVER", server.kind(), scenario + ":\n" + tree(root));
        assertEquals(ROUTE.get(scenario), server.attr("http.route"), server.attributes().toString());
        ReceivedSpan get = parent(server);
        assertEquals("CLIENT", get.kind(), scenario + ":\n" + tree(root));
        assertEquals(root.spanId(), get.parentSpanId(), scenario + ":\n" + tree(root));
      }
    }
  }

  /** The support agent: the store searched with a locally embedded query, then a tool loop. */
  @Test
  void aSupportTurnRetrievesThenAsksTheModelRunsTheToolAndAsksAgain() {
    List<ReceivedSpan> turns = new ArrayList<>(agentRuns("support-session"));
    turns.addAll(agentRuns("support-other-session"));
    for (ReceivedSpan agent : turns) {
      List<ReceivedSpan> steps = childrenInOrder(agent);
      assertEquals(List.of("retrieval InMemoryEmbeddingStore", CHAT, "execute_tool getBookingDetails", CHAT),
          names(steps), tree(agent));
      assertEquals(List.of(LOCAL_EMBEDDINGS), names(childrenInOrder(steps.get(0))), tree(agent));
      assertEquals(2L, steps.get(0).longAttr("llm_otel.retrieval.documents"), steps.get(0).attributes().toString());
      assertEquals("tool_calls", steps.get(1).attr("gen_ai.response.finish_reasons"));
      assertEquals("stop", steps.get(3).attr("gen_ai.response.finish_reasons"));
      assertEquals(steps.get(1).spanId(), steps.get(2).links().get(0).spanId(),
          "the tool links to the chat that asked");
    }
  }

  @Test
  void aBlockingAssistantRunIsAChatThenTheToolThenAChat() {
    List<ReceivedSpan> agents = agentRuns("assistant");
    List<ReceivedSpan> steps = childrenInOrder(agents.get(0));
    assertEquals(List.of(CHAT, "execute_tool get_weather", CHAT), names(steps), tree(agents.get(0)));
    assertTrue(steps.get(0).endEpochNanos() <= steps.get(1).startEpochNanos()
        && steps.get(1).endEpochNanos() <= steps.get(2).startEpochNanos(), tree(agents.get(0)));
  }

  /**
   * One chat span per request the fake server got, in order, each with the server's usage for that
   * request (prompt: 4 + words per message; a tool call: the words of its arguments plus one; an
   * answer: its words) and that usage priced.
   */
  @Test
  void eachModelCallReportsTheUsageAndCostTheServerCountedForIt() {
    for (String scenario : ANSWERED) {
      List<ReceivedSpan> chats = chatSpans(scenario);
      List<RecordedRequest> sent = run.llm.requests(scenario);
      assertEquals(sent.size(), chats.size(),
          scenario + ": one chat span per request\n" + tree(run.scenario(scenario)));
      List<String> answers = answers(scenario);
      int answered = 0;
      for (int i = 0; i < chats.size(); i++) {
        ReceivedSpan chat = chats.get(i);
        long input = FakeLlmServer.promptTokens(sent.get(i).json().get("messages"));
        long output = "tool_calls".equals(chat.attr("gen_ai.response.finish_reasons"))
            ? FakeLlmServer.words(toolArgumentsSentBackAfter(sent, i)) + 1
            : FakeLlmServer.words(answers.get(answered++));
        String where = scenario + " call " + i + ": " + chat.attributes();
        assertEquals(input, chat.longAttr("gen_ai.usage.input_tokens"), where);
        assertEquals(output, chat.longAttr("gen_ai.usage.output_tokens"), where);
        double cost = input * GPT_4O_MINI_INPUT + output * GPT_4O_MINI_OUTPUT;
        assertEquals(cost, chat.doubleAttr("llm_otel.cost.usd"), cost * 1e-3, where);
      }
      assertEquals(answers.size(), answered, scenario + ": every answer the app got came from one call");
    }
  }

  /** The route the request was served on names the work of every model call made for it. */
  @Test
  void everyChatSpanNamesTheFakeServerAndItsRouteAsTheWorkflow() {
    for (String scenario : SCENARIOS) {
      List<ReceivedSpan> chats = chatSpans(scenario);
      assertFalse(chats.isEmpty(), scenario);
      for (ReceivedSpan chat : chats) {
        String where = scenario + ": " + chat.attributes();
        assertEquals(ROUTE.get(scenario), chat.attr("llm_otel.workflow"), where);
        assertEquals("127.0.0.1", chat.attr("server.address"), where);
        assertEquals((long) run.llm.port(), chat.longAttr("server.port"), where);
      }
    }
  }

  @Test
  void theStreamedAnswerCountsTheChunksTheAppReceived() {
    List<ReceivedSpan> chats = chatSpans("streaming-assistant");
    assertEquals(2, chats.size(), tree(run.scenario("streaming-assistant")));
    ReceivedSpan askTool = chats.get(0);
    ReceivedSpan answer = chats.get(1);
    for (ReceivedSpan chat : chats) assertEquals(Boolean.TRUE, chat.attributes().get("gen_ai.request.stream"));
    assertEquals("tool_calls", askTool.attr("gen_ai.response.finish_reasons"));
    assertTrue(askTool.longAttr("llm_otel.stream.chunks") >= 2, "its argument fragments: " + askTool.attributes());
    assertEquals("stop", answer.attr("gen_ai.response.finish_reasons"));
    Matcher m = Pattern.compile("^ok status=200 events=(\\d+) text=(.*)$").matcher(run.result("streaming-assistant"));
    assertTrue(m.matches(), run.result("streaming-assistant"));
    long received = Long.parseLong(m.group(1));
    assertEquals(FakeLlmServer.words(m.group(2)), received, "one event per word, as the fake server streams");
    assertEquals(received, answer.longAttr("llm_otel.stream.chunks"), answer.attributes().toString());
  }

  /**
   * The support agent's template (system message, tool definitions) is one prompt version: every call
   * of every turn of every session carries the same fingerprint; the assistant's template is another.
   */
  @Test
  void theSupportAgentsPromptFingerprintIsStableAcrossTheTurnsOfASession() {
    Set<String> support = new HashSet<>();
    for (String scenario : List.of("support-session", "support-other-session")) {
      for (ReceivedSpan chat : chatSpans(scenario)) {
        assertNotNull(chat.attr("llm_otel.prompt.fingerprint"), scenario + ": " + chat.attributes());
        support.add(chat.attr("llm_otel.prompt.fingerprint"));
      }
    }
    assertEquals(1, support.size(), support.toString());
    String assistant = chatSpans("assistant").get(0).attr("llm_otel.prompt.fingerprint");
    assertNotNull(assistant);
    assertNotEquals(support.iterator().next(), assistant, "another system message and tool, another template");
  }

  /** The app's shape: a session's second turn is sent with its first; another session starts empty. */
  @Test
  void chatMemoryCarriesASessionsEarlierTurnAndNoOtherSessions() {
    List<RecordedRequest> session = run.llm.requests("support-session");
    assertEquals(4, session.size(), session.toString());
    List<String> secondTurn = messages(session.get(2));
    assertTrue(secondTurn.stream()
        .anyMatch(m -> m.startsWith("user: ") && m.contains("Can I cancel my booking 123-456?")), secondTurn.toString());
    assertTrue(secondTurn.contains("assistant: " + answers("support-session").get(0)), secondTurn.toString());
    List<String> otherSession = messages(run.llm.requests("support-other-session").get(0));
    assertEquals(2, otherSession.size(), otherSession.toString());
    assertTrue(otherSession.get(0).startsWith("system: ") && otherSession.get(1).startsWith("user: "),
        otherSession.toString());
    assertFalse(otherSession.toString().contains("John Doe"), otherSession.toString());
  }

  /**
   * The documents embedded at startup and each support question embedded for retrieval: LangChain4j's
   * local ONNX model, provider in_process, free, with no server and no price warning.
   */
  @Test
  void theLocalEmbeddingModelIsInProcessAndFree() {
    List<ReceivedSpan> local = run.receiver.spans(s -> s.name().equals(LOCAL_EMBEDDINGS));
    // Startup (one call for all documents), then one query per support turn.
    assertEquals(1 + 3, local.size(), local.toString());
    for (ReceivedSpan span : local) {
      assertEquals(SCOPE, span.scopeName());
      assertEquals("in_process", span.attr("gen_ai.provider.name"), span.attributes().toString());
      assertEquals("all-minilm-l6-v2", span.attr("gen_ai.request.model"));
      assertEquals(0.0, span.doubleAttr("llm_otel.cost.usd"), span.attributes().toString());
      assertNull(span.attr("server.address"));
    }
    assertFalse(run.app.output.contains("no price for in_process"), "no price warning for a local model");
  }

  /**
   * The Flux the streaming assistant returns is its run: started when the service method is called,
   * ended when the Flux completes. So the run holds its model calls and tool, and ends after the last.
   */
  @Test
  void aStreamingAgentRunHoldsItsCallsAndToolAndEndsAfterTheLastOfThem() {
    ReceivedSpan agent = agentRuns("streaming-assistant").get(0);
    List<ReceivedSpan> steps = childrenInOrder(agent);
    String tree = tree(run.scenario("streaming-assistant"));
    assertEquals(List.of(CHAT, "execute_tool get_weather", CHAT), names(steps), tree);
    assertTrue(agent.endEpochNanos() >= steps.get(2).endEpochNanos(), "the run ends after its last call:\n" + tree);
    assertEquals("UNSET", agent.statusCode(), tree);
  }

  /** A stream that fails (the connection dropped mid-answer) fails its model call and the run holding it. */
  @Test
  void aFailedStreamFailsItsCallAndTheStreamingAgentRun() {
    ReceivedSpan agent = agentRuns("streaming-assistant-error").get(0);
    List<ReceivedSpan> steps = childrenInOrder(agent);
    String tree = tree(run.scenario("streaming-assistant-error"));
    assertEquals(List.of(CHAT), names(steps), tree);
    ReceivedSpan chat = steps.get(0);
    assertEquals("ERROR", chat.statusCode(), tree);
    assertNotNull(chat.attr("error.type"), chat.attributes().toString());
    assertEquals("ERROR", agent.statusCode(), tree);
    assertEquals(chat.attr("error.type"), agent.attr("error.type"), agent.attributes().toString());
    assertTrue(agent.endEpochNanos() >= chat.endEpochNanos(), tree);
  }

  /**
   * Every request to the model is the HTTP client span of the chat span that sent it, the only such
   * span under it. Spring's RestClient sends over Reactor Netty here (Spring Boot picks it when webflux
   * is on the classpath), so that span is the agent's Reactor Netty one.
   */
  @Test
  void eachModelRequestIsTheHttpClientSpanUnderItsChatSpan() {
    int requests = 0;
    for (String scenario : LAUNCHED) requests += run.llm.requests(scenario).size();
    List<ReceivedSpan> http = run.receiver.spans(s -> s.kind().equals("CLIENT") && !s.hasAttr("gen_ai.operation.name")
        && Long.valueOf(run.llm.port()).equals(s.longAttr("server.port")));
    StringBuilder trees = new StringBuilder();
    for (String scenario : LAUNCHED) trees.append(tree(run.scenario(scenario)));
    assertEquals(requests, http.size(), "one HTTP client span per request:\n" + trees);
    for (ReceivedSpan request : http) {
      assertEquals(REACTOR_NETTY, request.scopeName(), request.attributes().toString());
      ReceivedSpan chat = parent(request);
      assertTrue(chat != null && chat.name().equals(CHAT) && chat.scopeName().equals(SCOPE),
          request.name() + " " + request.attributes() + " under " + chat + ":\n" + trees);
    }
    for (String scenario : LAUNCHED) {
      for (ReceivedSpan chat : chatSpans(scenario)) {
        assertEquals(1, run.receiver.children(chat).stream().filter(http::contains).count(), trees.toString());
      }
    }
  }

  /**
   * The starter's models called directly with a ChatRequest declaring a JSON Schema response format
   * (blocking and streamed) or a tool: valid when the answer fits, else invalid and escalated; the
   * app (the policy off) gets every answer as LangChain4j returned it.
   */
  @Test
  void structuredAnswersOfTheStartersModelsAreMarkedValidOrNotAndUnusableOnesEscalated() {
    OutputChecks out = new OutputChecks(run, false);
    String wrong = AbstractAgentFrameworkSmokeTest.WRONG_STRUCTURE;
    assertTrue(run.result("out-valid").startsWith("ok answer={\"city\": "), run.result("out-valid"));
    out.assertUsable("out-valid");
    assertEquals("ok answer=" + wrong, run.result("out-wrong"));
    out.assertUnusable("out-wrong", "invalid", "$: required");
    assertEquals("ok answer=" + wrong, run.result("out-stream-wrong"));
    out.assertUnusable("out-stream-wrong", "invalid", "$: required");
    assertEquals("ok tool=get_weather " + wrong, run.result("out-tool-wrong"));
    out.assertUnusable("out-tool-wrong", "invalid", "tool get_weather: $: required");
  }

  /**
   * A typed AI service behind an endpoint, on the starter's model configured for structured outputs
   * by properties: LangChain4j declares the type's JSON Schema, so an answer whose city is not a
   * string is invalid and escalated, the route as the workflow; the endpoint still answers.
   */
  @Test
  void aTypedAiServiceBehindAnEndpointHasItsAnswerCheckedAgainstTheDeclaredSchema() {
    ReceivedSpan root = run.scenario("out-endpoint-wrong");
    List<ReceivedSpan> agents = inTrace("out-endpoint-wrong", s -> s.name().equals("invoke_agent CityAssistant"));
    assertEquals(1, agents.size(), tree(root));
    assertEquals("/city", parent(agents.get(0)).attr("http.route"), tree(root));
    List<ReceivedSpan> chats = chatSpans("out-endpoint-wrong");
    assertEquals(1, chats.size(), tree(root));
    ReceivedSpan chat = chats.get(0);
    assertEquals("json_schema", run.llm.requests("out-endpoint-wrong").get(0).json().path("response_format")
        .path("type").asText(), "the starter's model declared the type's schema");
    assertEquals("invalid", chat.attr("llm_otel.output.validation"), chat.attributes().toString());
    assertEquals("$.city: type", chat.attr("llm_otel.output.validation.error"), chat.attributes().toString());
    assertEquals("output_invalid", chat.attr("llm_otel.escalation.reason"), chat.attributes().toString());
    assertEquals("/city", chat.attr("llm_otel.workflow"));
    List<dev.llmotel.testkit.otlp.ReceivedLogRecord> records = new OutputChecks(run, false).awaitRecords(chat, 1);
    assertEquals(1, records.size(), records.toString());
    assertEquals("/city", records.get(0).attr("llm_otel.workflow"));
    assertEquals("output_invalid", records.get(0).attr("llm_otel.escalation.reason"));
    assertEquals("ok CityAnswer[city=42, population=2100000]", run.result("out-endpoint-wrong"));
  }


  // --- reading the run ---

  /** The invoke_agent spans of the scenario's trace, in start order. */
  List<ReceivedSpan> agentRuns(String scenario) {
    return inTrace(scenario, s -> s.name().equals("invoke_agent " + AGENT.get(scenario)));
  }

  /** The chat spans of the scenario's trace, in start order. */
  List<ReceivedSpan> chatSpans(String scenario) {
    return inTrace(scenario, s -> s.name().equals(CHAT));
  }

  List<ReceivedSpan> inTrace(String scenario, java.util.function.Predicate<ReceivedSpan> filter) {
    return run.receiver.trace(run.scenario(scenario).traceId()).stream().filter(filter)
        .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos)).collect(Collectors.toList());
  }

  ReceivedSpan parent(ReceivedSpan span) {
    return run.receiver.parent(span).orElse(null);
  }

  List<ReceivedSpan> childrenInOrder(ReceivedSpan parent) {
    return SpanTrees.childrenInOrder(run.receiver, parent);
  }

  static List<String> names(List<ReceivedSpan> spans) {
    return SpanTrees.names(spans);
  }

  /** The messages of a request to the model, each as "role: text". */
  static List<String> messages(RecordedRequest request) {
    List<String> messages = new ArrayList<>();
    for (JsonNode m : request.json().get("messages")) {
      messages.add(m.path("role").asText() + ": " + m.path("content").asText());
    }
    return messages;
  }

  /** The answers the app got in a scenario, in order, from its detail ("first=A second=B", "... text=A" or A). */
  List<String> answers(String scenario) {
    String detail = run.result(scenario).substring("ok ".length());
    if (scenario.startsWith("streaming-")) {
      return List.of(detail.substring(detail.indexOf(" text=") + " text=".length()));
    }
    if (!detail.startsWith("first=")) return List.of(detail);
    int second = detail.indexOf(" second=");
    if (second < 0) return List.of(detail.substring("first=".length()));
    return List.of(detail.substring("first=".length(), second), detail.substring(second + " second=".length()));
  }

  /**
   * The arguments of the tool call answering request i, as the app sent them back in request i + 1
   * (the last tool call there: earlier turns of the session come first).
   */
  static String toolArgumentsSentBackAfter(List<RecordedRequest> sent, int i) {
    String arguments = null;
    for (JsonNode m : sent.get(i + 1).json().get("messages")) {
      JsonNode calls = m.path("tool_calls");
      if (calls.isArray() && calls.size() > 0) arguments = calls.get(0).path("function").path("arguments").asText();
    }
    assertNotNull(arguments, "request " + (i + 1) + " carries the tool call back");
    return arguments;
  }

  String tree(ReceivedSpan root) {
    return SpanTrees.tree(run.receiver, root);
  }
}
