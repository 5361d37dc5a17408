package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.fakellm.ServedUsage;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A LangChain4j service under the real agent: each agent run is an invoke_agent span with its
 * model calls and tool executions under it, in the order they happened. Subclasses choose the
 * LangChain4j release, the JVM and whether content is captured.
 */
abstract class AbstractLangChain4jSmokeTest extends AbstractAgentFrameworkSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("agent-tool", "agent-failing-tool", "agent-error", "agent-stream",
      "chat", "chat-stream", "embeddings", "rag", "out-valid", "out-wrong", "out-default-json", "out-tool-wrong",
      "out-stream-wrong", "out-agent-wrong", "out-agent-tool-wrong", "out-not-json", "out-truncated", "conv-memory",
      "conv-baggage", "conv-memory-stream");
  static final String SCOPE = "dev.llmotel.langchain4j";

  /** oldest or newest supported release. */
  abstract String release();

  @Override String runName() { return "langchain4j-" + release(); }
  @Override String appModule() { return "langchain4j-app-" + release(); }
  @Override String mainClass() { return "dev.llmotel.smoke.langchain4j.LangChain4jSmokeApp"; }
  /** The newest app also has a local (in-process ONNX) embedding model. */
  @Override List<String> scenarios() {
    if (!release().equals("newest")) return SCENARIOS;
    List<String> all = new java.util.ArrayList<>(SCENARIOS);
    all.add("local-embeddings");
    all.add("mcp-agent");
    all.add("mcp-agent-http");
    return all;
  }

  /** The MCP server the newest app's "mcp-agent" scenarios start: the MCP smoke app's, over stdio and streamable HTTP. */
  @Override java.util.Map<String, String> extraProperties() throws Exception {
    // The local embeddings' test tells the three texts apart by their request hashes, off by default.
    return java.util.Map.of("smoke.mcp.server-classpath",
        String.join(java.io.File.pathSeparator, AgentApp.appClasspath("mcp-app-newest")),
        "otel.instrumentation.llm-otel.request-hash.enabled", "true");
  }

  /**
   * A streaming agent (its method returns a TokenStream) reads its chat memory when the method runs, before
   * its run starts at start(): the run and its model call are in that memory's conversation all the same.
   */
  @Test
  void aStreamingAgentIsInItsChatMemorysConversation() {
    assertTrue(run.result("conv-memory-stream").startsWith("ok text="), run.result("conv-memory-stream"));
    List<ReceivedSpan> trace = run.receiver.trace(run.scenario("conv-memory-stream").traceId());
    List<ReceivedSpan> agents = trace.stream().filter(s -> "invoke_agent".equals(s.attr("gen_ai.operation.name")))
        .collect(java.util.stream.Collectors.toList());
    assertEquals(1, agents.size(), String.valueOf(trace));
    assertEquals("user-7", agents.get(0).attr("gen_ai.conversation.id"), agents.get(0).toString());
    List<ReceivedSpan> chats = trace.stream().filter(s -> "chat".equals(s.attr("gen_ai.operation.name")))
        .collect(java.util.stream.Collectors.toList());
    assertFalse(chats.isEmpty(), String.valueOf(trace));
    for (ReceivedSpan chat : chats) assertEquals("user-7", chat.attr("gen_ai.conversation.id"), chat.toString());
  }

  /**
   * LangChain4j's own MCP client (langchain4j-mcp, not the MCP Java SDK) carries the trace context in its
   * requests' _meta: the MCP server's span, in its own JVM, is the child of LangChain4j's tool span, under the agent.
   */
  @Test
  void mcpToolsOfLangChain4jsOwnClientJoinTheAgentsTrace() {
    if (!scenarios().contains("mcp-agent")) return; // the newest app only has langchain4j-mcp
    ReceivedSpan tool = mcpTool("mcp-agent");
    assertEquals("pipe", tool.attr("network.transport"), tool.toString());
    assertNull(tool.attr("mcp.session.id"), "stdio has no session: " + tool);
  }

  /** The same over streamable HTTP: the tool's span also carries the session the server gave the client. */
  @Test
  void mcpToolsOverStreamableHttpCarryTheirSession() {
    if (!scenarios().contains("mcp-agent-http")) return;
    ReceivedSpan tool = mcpTool("mcp-agent-http");
    assertEquals("tcp", tool.attr("network.transport"), tool.toString());
    ReceivedSpan served = run.receiver.awaitSpans(s -> "SERVER".equals(s.kind())
        && tool.spanId().equals(s.parentSpanId()), 1, java.time.Duration.ofSeconds(20)).get(0);
    assertNotNull(served.attr("mcp.session.id"), served.toString());
    assertEquals(served.attr("mcp.session.id"), tool.attr("mcp.session.id"), tool.toString());
  }

  /** The scenario's one LangChain4j tool span, its MCP attributes and the server's span under it checked. */
  private ReceivedSpan mcpTool(String scenario) {
    assertTrue(run.result(scenario).startsWith("ok"), run.result(scenario));
    List<ReceivedSpan> trace = run.receiver.trace(run.scenario(scenario).traceId());
    List<ReceivedSpan> tools = trace.stream().filter(s -> "execute_tool".equals(s.attr("gen_ai.operation.name"))
        && SCOPE.equals(s.scopeName())).collect(java.util.stream.Collectors.toList());
    assertEquals(1, tools.size(), SpanTrees.names(trace).toString());
    List<ReceivedSpan> served = run.receiver.awaitSpans(s -> "SERVER".equals(s.kind())
        && tools.get(0).spanId().equals(s.parentSpanId()), 1, java.time.Duration.ofSeconds(20));
    assertEquals(1, served.size(), "the MCP server's span under the tool: " + run.receiver.trace(tools.get(0).traceId()));
    assertEquals("tools/call echo", served.get(0).name());
    // LangChain4j's tool span is the MCP call's client span: it carries the MCP conventions' attributes.
    assertEquals("tools/call", tools.get(0).attr("mcp.method.name"), tools.get(0).toString());
    assertEquals(served.get(0).attr("jsonrpc.request.id"), tools.get(0).attr("jsonrpc.request.id"));
    assertTrue(trace.stream().anyMatch(s -> s.name().startsWith("invoke_agent")
        && SpanTrees.isAncestor(trace, s, tools.get(0))), "the tool under the agent");
    return tools.get(0);
  }

  @Override String scope() { return SCOPE; }

  @Override String toolAgentName() { return "WeatherAssistant"; }

  ReceivedSpan onlyAgent(String scenario) {
    return onlyAgent(scenario, "WeatherAssistant");
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    assertEquals(0, run.app.exitCode, run.tail());
    assertEquals(scenarios().size(), run.app.results.size(), "results: " + run.app.results);
    assertEquals(List.of(), run.app.instrumentationErrors());
    assertTrue(run.result("agent-tool").startsWith("ok "), run.result("agent-tool"));
  }

  @Test
  void anAgentRunIsAChatThenTheToolThenAChatInOrder() {
    ReceivedSpan agent = onlyAgent("agent-tool");
    assertEquals("UNSET", agent.statusCode());
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"),
        steps.stream().map(ReceivedSpan::name).collect(Collectors.toList()));
    ReceivedSpan askTool = steps.get(0);
    ReceivedSpan tool = steps.get(1);
    ReceivedSpan answer = steps.get(2);
    assertTrue(askTool.endEpochNanos() <= tool.startEpochNanos() && tool.endEpochNanos() <= answer.startEpochNanos());
    List<RecordedRequest> sent = run.llm.requests("agent-tool");
    assertEquals(2, sent.size(), sent.toString());
    for (ReceivedSpan chat : Arrays.asList(askTool, answer)) {
      assertEquals("CLIENT", chat.kind());
      assertEquals(SCOPE, chat.scopeName());
      assertEquals("openai", chat.attr("gen_ai.provider.name"));
      assertEquals("gpt-4o-mini", chat.attr("gen_ai.request.model"));
      int call = chat == askTool ? 0 : 1;
      SmokeRun.assertServedUsage(ServedUsage.of(sent.get(call)), chat, "agent-tool call " + call);
      assertEquals("WeatherAssistant", chat.attr("llm_otel.workflow"), "the agent names the workflow");
      // The HTTP call of each model call nests under it.
      assertEquals(1, run.receiver.children(chat).stream().filter(s -> s.kind().equals("CLIENT")).count());
    }
    assertEquals("tool_calls", askTool.attr("gen_ai.response.finish_reasons"));
    assertEquals("stop", answer.attr("gen_ai.response.finish_reasons"));
  }

  @Test
  void aToolThatThrowsIsAnErrorWhileTheAgentRunGoesOn() {
    ReceivedSpan agent = onlyAgent("agent-failing-tool");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    ReceivedSpan tool = steps.get(1);
    assertEquals("execute_tool get_weather", tool.name());
    assertEquals("ERROR", tool.statusCode());
    assertEquals("java.lang.IllegalStateException", tool.attr("error.type"));
    // LangChain4j hands the error to the model, which answers: the run itself succeeded.
    assertEquals("UNSET", agent.statusCode());
    assertTrue(run.result("agent-failing-tool").startsWith("ok "));
  }

  @Test
  void aFailedModelCallEndsTheAgentRunInErrorWithTheExceptionTheAppGot() {
    ReceivedSpan agent = onlyAgent("agent-error");
    String appSaw = run.result("agent-error");
    assertTrue(appSaw.startsWith("error "), appSaw);
    String type = appSaw.split(" ")[1];
    assertEquals("ERROR", agent.statusCode());
    assertEquals(type, agent.attr("error.type"));
    ReceivedSpan chat = childrenInOrder(agent).get(0);
    assertEquals("ERROR", chat.statusCode());
    assertEquals(type, chat.attr("error.type"));
  }

  @Test
  void aDirectModelCallIsAChatSpanWithoutAnAgent() {
    List<ReceivedSpan> spans = childrenInOrder(run.scenario("chat"));
    assertEquals(1, spans.size(), spans.toString());
    assertEquals("chat gpt-4o-mini", spans.get(0).name());
    assertEquals("stop", spans.get(0).attr("gen_ai.response.finish_reasons"));
    run.assertServedUsage("chat", spans.get(0));
  }

  @Test
  void aStreamedModelCallEndsWhenTheHandlerIsCalledBackWithUsage() {
    List<ReceivedSpan> spans = childrenInOrder(run.scenario("chat-stream"));
    assertEquals(1, spans.size(), spans.toString());
    ReceivedSpan span = spans.get(0);
    assertEquals("chat gpt-4o-mini", span.name());
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    // The usage chunk's numbers, the server's for this request, not an estimate from the streamed text.
    run.assertServedUsage("chat-stream", span);
    String appSaw = run.result("chat-stream");
    assertTrue(appSaw.startsWith("ok chunks="), appSaw);
    long partials = Long.parseLong(appSaw.substring("ok chunks=".length(), appSaw.indexOf(' ', "ok chunks=".length())));
    assertEquals(partials, span.longAttr("llm_otel.stream.chunks"), "every partial response counted once");
    // The span ended when the answer arrived, not when the method returned.
    assertTrue(run.receiver.children(span).stream().allMatch(http -> http.endEpochNanos() <= span.endEpochNanos()));
  }

  @Test
  void aStreamingAgentRunKeepsItsToolAndSecondCallUnderItAcrossTheHttpClientsThreads() {
    List<ReceivedSpan> agents = childrenInOrder(run.scenario("agent-stream"));
    assertEquals(1, agents.size(), agents.toString());
    ReceivedSpan agent = agents.get(0);
    assertEquals("invoke_agent StreamingWeatherAssistant", agent.name());
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"),
        steps.stream().map(ReceivedSpan::name).collect(Collectors.toList()));
    assertEquals(steps.get(0).spanId(), steps.get(1).links().get(0).spanId());
    assertEquals("stop", steps.get(2).attr("gen_ai.response.finish_reasons"));
    // Each streamed call has the usage the server sent for its own request, not the run's running total.
    List<RecordedRequest> sent = run.llm.requests("agent-stream");
    assertEquals(2, sent.size(), sent.toString());
    SmokeRun.assertServedUsage(ServedUsage.of(sent.get(0)), steps.get(0), "agent-stream call 0 (the tool call)");
    SmokeRun.assertServedUsage(ServedUsage.of(sent.get(1)), steps.get(2), "agent-stream call 1 (the answer)");
    // The run ends when the answer reached the app, after its last model call.
    assertTrue(agent.endEpochNanos() >= steps.get(2).endEpochNanos());
    assertTrue(run.result("agent-stream").startsWith("ok text="), run.result("agent-stream"));
  }

  /**
   * A streamed call that ends in a tool call sends no text, only the call's argument fragments
   * (the fake server streams {"city":"fake"} in 8-character pieces): from the release whose
   * handlers hear them (onPartialToolCall), they are its chunks, so it has a time to first chunk.
   */
  @Test
  void aStreamedCallThatEndsInAToolCallCountsItsChunks() {
    ReceivedSpan askTool = childrenInOrder(onlyAgent("agent-stream", "StreamingWeatherAssistant")).get(0);
    assertEquals("tool_calls", askTool.attr("gen_ai.response.finish_reasons"));
    // 1.0 tells a handler nothing before the complete response; checked on the newest release.
    if (!release().equals("newest")) return;
    assertNotNull(askTool.longAttr("llm_otel.stream.chunks"), askTool.attributes().toString());
    assertTrue(askTool.longAttr("llm_otel.stream.chunks") >= 2, askTool.attributes().toString());
    assertNotNull(askTool.doubleAttr("gen_ai.response.time_to_first_chunk"), askTool.attributes().toString());
  }

  /**
   * Output validation (issue 21): a ChatRequest with a JSON Schema response format, a tool the app
   * declared by hand, a stream; and the model's own default response format (any JSON object).
   */
  @Test
  void structuredAnswersAreMarkedValidOrNotAndUnusableOnesEscalated() {
    assertDirectStructuredCallsAreCheckedAndEscalated();
    assertProseAndTruncatedAnswersAreEscalated();
    OutputChecks out = outputChecks();
    assertTrue(run.result("out-default-json").startsWith("ok answer={\"answer\": "), run.result("out-default-json"));
    out.assertUsable("out-default-json");
  }

  /**
   * An AI service returning a type, on a model configured for structured outputs: LangChain4j
   * declares that type's JSON Schema (strict), so an answer whose city is not a string is invalid
   * and escalated, with the agent as the workflow; the app gets what LangChain4j made of it.
   */
  @Test
  void anAiServicesTypedAnswerIsCheckedAgainstTheSchemaItDeclared() {
    ReceivedSpan agent = onlyAgent("out-agent-wrong", "CityAssistant");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(List.of("chat gpt-4o-mini"), names(steps), tree(agent));
    JsonNode format = run.llm.requests("out-agent-wrong").get(0).json().get("response_format");
    assertEquals("json_schema", format.path("type").asText(), "LangChain4j declared the type's schema: " + format);
    assertAgentCallEscalated(steps.get(0), "CityAssistant", "$.city: type");
    assertEquals("UNSET", agent.statusCode(), "the policy is off: " + tree(agent));
    assertEquals("ok answer=city=42 population=2100000", run.result("out-agent-wrong"));
  }

  /**
   * An agent's tool call whose arguments miss the property the tool's schema requires: the call
   * asking for it is invalid and escalated; LangChain4j still runs the tool (the missing argument as
   * null) and the run goes on to its answer.
   */
  @Test
  void aToolCallOutsideTheToolsSchemaIsEscalatedAndTheAgentRunGoesOn() {
    ReceivedSpan agent = onlyAgent("out-agent-tool-wrong");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"), names(steps),
        tree(agent));
    assertAgentCallEscalated(steps.get(0), "WeatherAssistant", "tool get_weather: $: required");
    ReceivedSpan answer = steps.get(2);
    assertNull(answer.attr("llm_otel.escalation.reason"), answer.attributes().toString());
    assertEquals("UNSET", agent.statusCode(), tree(agent));
    assertTrue(run.result("out-agent-tool-wrong").startsWith("ok Fake answer using tool result"),
        run.result("out-agent-tool-wrong"));
  }

  @Test
  void anEmbeddingIsAnEmbeddingsSpan() {
    List<ReceivedSpan> spans = childrenInOrder(run.scenario("embeddings"));
    assertEquals(1, spans.size(), spans.toString());
    ReceivedSpan span = spans.get(0);
    assertEquals("embeddings text-embedding-3-small", span.name());
    assertEquals("openai", span.attr("gen_ai.provider.name"));
    assertEquals(2L, span.longAttr("gen_ai.usage.input_tokens"), "the fake server counts two words");
    assertEquals("127.0.0.1", span.attr("server.address"));
    assertFalse(run.receiver.rawBytesContain(AbstractOpenAiSmokeTest.API_KEY), "no API key in any exported byte");
  }

  @Test
  void aRagAgentRunSearchesTheStoreUnderItsAgentSpanThenAsksTheModel() {
    ReceivedSpan root = run.scenario("rag");
    ReceivedSpan agent = onlyAgent("rag", "KnowledgeAssistant");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("retrieval InMemoryEmbeddingStore", "chat gpt-4o-mini"), names(steps), tree(root));
    ReceivedSpan retrieval = steps.get(0);
    assertEquals("CLIENT", retrieval.kind());
    assertEquals(SCOPE, retrieval.scopeName());
    assertEquals("retrieval", retrieval.attr("gen_ai.operation.name"));
    assertEquals("InMemoryEmbeddingStore", retrieval.attr("gen_ai.data_source.id"));
    assertEquals("KnowledgeAssistant", retrieval.attr("gen_ai.agent.name"));
    assertEquals(1L, retrieval.longAttr("llm_otel.retrieval.documents"));
    // The query is embedded inside the retrieval.
    assertEquals(List.of("embeddings text-embedding-3-small"), names(childrenInOrder(retrieval)), tree(root));
    assertTrue(run.result("rag").startsWith("ok "), run.result("rag"));
  }

  /**
   * LangChain4j's local ONNX model (all-MiniLM-L6-v2): named by its class, provider in_process,
   * cost 0 and no "no price" warning, no server; three different texts, three request hashes.
   */
  @Test
  void aLocalEmbeddingModelIsInProcessNamedFreeAndHashedByWhatItEmbedded() {
    if (!scenarios().contains("local-embeddings")) return;
    assertEquals("ok dims=384,384,384", run.result("local-embeddings"), run.tail());
    List<ReceivedSpan> spans = childrenInOrder(run.scenario("local-embeddings"));
    assertEquals(3, spans.size(), tree(run.scenario("local-embeddings")));
    java.util.Set<String> hashes = new java.util.HashSet<>();
    for (ReceivedSpan span : spans) {
      assertEquals("embeddings all-minilm-l6-v2", span.name(), span.attributes().toString());
      assertEquals("in_process", span.attr("gen_ai.provider.name"));
      assertEquals("all-minilm-l6-v2", span.attr("gen_ai.request.model"));
      assertNull(span.attr("gen_ai.response.model"), "not LangChain4j's placeholder \"unknown\"");
      assertNotNull(span.longAttr("gen_ai.usage.input_tokens"), span.attributes().toString());
      assertEquals(0.0, span.doubleAttr("llm_otel.cost.usd"), "a local model costs nothing: " + span.attributes());
      assertNull(span.attr("server.address"));
      assertEquals(384L, span.longAttr("gen_ai.embeddings.dimension.count"));
      hashes.add(span.attr("llm_otel.request.hash"));
    }
    assertEquals(3, hashes.size(), "three texts, three request hashes: " + hashes);
    assertFalse(run.app.output.contains("no price for in_process"), "no price warning for a local model");
  }
}
