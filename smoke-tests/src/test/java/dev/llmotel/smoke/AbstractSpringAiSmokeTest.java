package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.fakellm.ServedUsage;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot + Spring AI service under the real agent: each ChatClient call is an invoke_agent
 * span with its model calls and tool executions under it, in the order they happened; one chat
 * span per model call even where Spring AI calls the OpenAI SDK (2.0), which is instrumented too.
 * Subclasses choose the Spring AI line, the JVM and whether content is captured.
 */
abstract class AbstractSpringAiSmokeTest extends AbstractAgentFrameworkSmokeTest {
  static final List<String> SCENARIOS = Arrays.asList("agent-tool", "agent-failing-tool", "agent-error",
      "agent-stream", "agent-observed", "anthropic-agent", "chat", "chat-retried", "chat-stream", "chat-stream-cancelled", "embeddings", "rag",
      "out-valid", "out-wrong", "out-tool-wrong", "out-stream-wrong", "out-agent-tool-wrong", "out-not-json",
      "out-truncated", "out-refusal", "conv-memory", "conv-baggage", "mcp-agent");
  static final String SCOPE = "dev.llmotel.spring-ai";

  /** boot3 (Spring AI 1.1) or boot4 (Spring AI 2.0). */
  abstract String line();

  @Override String runName() { return "spring-ai-" + line(); }
  @Override String appModule() { return "spring-ai-app-" + line(); }
  @Override String mainClass() { return "dev.llmotel.smoke.springai.SpringAiSmokeApp"; }
  @Override List<String> scenarios() { return SCENARIOS; }
  /** The MCP server the "mcp-agent" scenario starts: the MCP smoke app's (newest MCP SDK), over stdio. */
  @Override Map<String, String> extraProperties() throws Exception {
    return Map.of("smoke.mcp.server-classpath", String.join(java.io.File.pathSeparator, AgentApp.appClasspath("mcp-app-newest")));
  }

  /**
   * An agent whose tools are an MCP server's (Spring AI's MCP tool callbacks): its execute_tool span is the
   * MCP client's call too (the MCP attributes are added to it, no second span), and the server's span, in its
   * own JVM, is that tool span's child in the same trace (the context went in the request's params._meta).
   */
  @Test
  void mcpToolsNestUnderTheAgentAndTheServerJoinsTheTrace() {
    List<ReceivedSpan> trace = run.receiver.trace(run.scenario("mcp-agent").traceId());
    List<ReceivedSpan> tools = trace.stream().filter(s -> "execute_tool".equals(s.attr("gen_ai.operation.name"))
        && SCOPE.equals(s.scopeName())).collect(java.util.stream.Collectors.toList());
    assertEquals(1, tools.size(), SpanTrees.names(trace).toString());
    ReceivedSpan tool = tools.get(0);
    assertEquals("tools/call", tool.attr("mcp.method.name"), tool.toString());
    assertEquals("pipe", tool.attr("network.transport"));
    assertTrue(trace.stream().noneMatch(s -> "CLIENT".equals(s.kind()) && s.name().startsWith("tools/call")),
        "no second span for the MCP call: " + trace);
    assertTrue(trace.stream().anyMatch(s -> "invoke_agent".equals(s.attr("gen_ai.operation.name"))
        && SpanTrees.isAncestor(trace, s, tool)), "the tool under the agent");
    List<ReceivedSpan> served = run.receiver.awaitSpans(s -> "SERVER".equals(s.kind())
        && tool.spanId().equals(s.parentSpanId()), 1, java.time.Duration.ofSeconds(20));
    assertEquals(1, served.size(), "the MCP server's span under the tool: " + run.receiver.trace(tool.traceId()));
    assertEquals("tools/call echo", served.get(0).name());
    assertTrue(run.result("mcp-agent").startsWith("ok"), run.result("mcp-agent"));
  }
  @Override String scope() { return SCOPE; }
  @Override String toolAgentName() { return "WeatherAgent"; }

  @Test
  void contentIsCapturedOnlyWhenSwitchedOnAndNeverCarriesTheApiKey() {
    ReceivedSpan askTool = childrenInOrder(onlyAgent("agent-tool", "WeatherAgent")).get(0);
    if (captureContent()) {
      assertTrue(askTool.attr("gen_ai.input.messages").contains("What is the weather in Paris?"));
      assertTrue(!askTool.attr("gen_ai.input.messages").contains("sk-smoke"), "no key in telemetry");
    } else {
      assertNull(askTool.attr("gen_ai.output.messages"));
    }
    for (ReceivedSpan span : run.receiver.spans(s -> true)) {
      assertTrue(span.attributes().values().stream().noneMatch(v -> String.valueOf(v).contains("sk-smoke")),
          span.name() + " " + span.attributes());
    }
  }

  @Test
  void appRanEveryScenarioWithoutInstrumentationErrors() {
    assertEquals(0, run.app.exitCode, run.tail());
    assertEquals(SCENARIOS.size(), run.app.results.size(), "results: " + run.app.results + "\n" + run.tail());
    assertEquals(List.of(), run.app.instrumentationErrors());
    assertTrue(run.result("agent-tool").startsWith("ok "), run.result("agent-tool"));
  }

  @Test
  void anAgentRunIsAChatThenTheToolThenAChatInOrder() {
    ReceivedSpan agent = onlyAgent("agent-tool", "WeatherAgent");
    assertEquals("UNSET", agent.statusCode());
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"), names(steps),
        tree(agent));
    ReceivedSpan askTool = steps.get(0);
    ReceivedSpan tool = steps.get(1);
    ReceivedSpan answer = steps.get(2);
    assertTrue(askTool.endEpochNanos() <= tool.startEpochNanos() && tool.endEpochNanos() <= answer.startEpochNanos());
    List<RecordedRequest> sent = run.llm.requests("agent-tool");
    assertEquals(2, sent.size(), sent.toString());
    for (ReceivedSpan chat : Arrays.asList(askTool, answer)) {
      assertEquals("CLIENT", chat.kind());
      assertEquals(SCOPE, chat.scopeName(), "the framework's span owns the call: " + tree(agent));
      assertEquals("openai", chat.attr("gen_ai.provider.name"));
      assertEquals("gpt-4o-mini", chat.attr("gen_ai.request.model"));
      assertEquals("gpt-4o-mini-2024-07-18", chat.attr("gen_ai.response.model"));
      int call = chat == askTool ? 0 : 1;
      SmokeRun.assertServedUsage(ServedUsage.of(sent.get(call)), chat, "agent-tool call " + call);
      assertNotNull(chat.doubleAttr("llm_otel.cost.usd"), "priced like any other call");
      assertEquals("WeatherAgent", chat.attr("llm_otel.workflow"), "the agent names the workflow");
      // Exactly one LLM span per model call: the HTTP call nests under it, no second chat span.
      List<ReceivedSpan> under = run.receiver.children(chat);
      assertTrue(under.stream().noneMatch(s -> s.name().startsWith("chat")), tree(agent));
      assertEquals(1, under.stream().filter(s -> s.kind().equals("CLIENT")).count(), tree(agent));
    }
    assertEquals("tool_calls", askTool.attr("gen_ai.response.finish_reasons"));
    assertEquals("stop", answer.attr("gen_ai.response.finish_reasons"));
    // The tools the ChatClient offers are the template (the agent has no system prompt): both calls of
    // the run share its fingerprint, which a direct call without tools or system prompt does not get.
    String fingerprint = askTool.attr("llm_otel.prompt.fingerprint");
    assertNotNull(fingerprint, askTool.attributes().toString());
    assertEquals(fingerprint, answer.attr("llm_otel.prompt.fingerprint"));
    assertNull(onlySpanUnder("chat", "chat gpt-4o-mini").attr("llm_otel.prompt.fingerprint"));
    if (captureContent()) {
      assertTrue(askTool.attr("gen_ai.tool.definitions").contains("\"get_weather\""), askTool.attributes().toString());
    }
  }

  @Test
  void anAgentOnAnthropicIsTheSameTreeWithTheAnthropicProvider() {
    ReceivedSpan agent = onlyAgent("anthropic-agent", "WeatherAgent");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat claude-sonnet-4-20250514", "execute_tool get_weather",
        "chat claude-sonnet-4-20250514"), names(steps), tree(agent));
    // The run's only Messages calls (Spring AI 1.1's Anthropic client sends no x-fake-scenario header).
    List<RecordedRequest> sent = run.llm.requests().stream().filter(r -> r.path().equals("/v1/messages"))
        .collect(Collectors.toList());
    assertEquals(2, sent.size(), sent.toString());
    for (ReceivedSpan chat : Arrays.asList(steps.get(0), steps.get(2))) {
      assertEquals(SCOPE, chat.scopeName(), "Spring AI's span owns the call: " + tree(agent));
      assertEquals("anthropic", chat.attr("gen_ai.provider.name"));
      int call = chat == steps.get(0) ? 0 : 1;
      SmokeRun.assertServedUsage(ServedUsage.of(sent.get(call)), chat, "anthropic-agent call " + call);
      // On 2.0 the Anthropic SDK below is instrumented too: it adds no second chat span.
      assertTrue(run.receiver.children(chat).stream().noneMatch(s -> s.name().startsWith("chat")), tree(agent));
    }
    assertEquals("tool_use", steps.get(0).attr("gen_ai.response.finish_reasons"));
    assertEquals("end_turn", steps.get(2).attr("gen_ai.response.finish_reasons"));
    assertTrue(run.receiver.spans(s -> s.scopeName().startsWith("com.anthropic")
        || s.scopeName().equals("dev.llmotel.anthropic-java")).isEmpty(), "one span per call");
    assertTrue(run.result("anthropic-agent").startsWith("ok Fake answer using tool result"),
        run.result("anthropic-agent"));
  }

  @Test
  void aToolThatThrowsIsAnErrorWhileTheAgentRunGoesOn() {
    ReceivedSpan agent = onlyAgent("agent-failing-tool", "WeatherAgent");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    ReceivedSpan tool = steps.get(1);
    assertEquals("execute_tool get_weather", tool.name(), tree(agent));
    assertEquals("ERROR", tool.statusCode());
    assertEquals("java.lang.IllegalStateException", tool.attr("error.type"));
    // Spring AI hands the error to the model, which answers: the run itself succeeded.
    assertEquals("UNSET", agent.statusCode());
    assertTrue(run.result("agent-failing-tool").startsWith("ok "), run.result("agent-failing-tool"));
  }

  @Test
  void aFailedModelCallEndsTheAgentRunInErrorWithTheExceptionTheAppGot() {
    ReceivedSpan agent = onlyAgent("agent-error", "WeatherAgent");
    String appSaw = run.result("agent-error");
    assertTrue(appSaw.startsWith("error "), appSaw);
    String type = appSaw.split(" ")[1];
    assertEquals("ERROR", agent.statusCode());
    assertEquals(type, agent.attr("error.type"));
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(1, steps.size(), tree(agent));
    ReceivedSpan chat = steps.get(0);
    assertEquals("ERROR", chat.statusCode());
    assertEquals(type, chat.attr("error.type"));
    // Both attempts (the first and the one retry) went out under the one chat span.
    assertEquals(2, run.llm.requests("agent-error").size());
    assertEquals(2, run.receiver.children(chat).stream().filter(s -> s.kind().equals("CLIENT")).count(), tree(agent));
  }

  @Test
  void whenTheAppTracesSpringAisObservationsItselfEachCallStillHasOneSpan() {
    ReceivedSpan agent = onlyAgent("agent-observed", "WeatherAgent");
    List<ReceivedSpan> trace = run.receiver.spans(s -> s.traceId().equals(agent.traceId()));
    // Micrometer Tracing makes spans for the observations llm-otel does not (Spring AI's advisors)
    // and declines the ones llm-otel makes: two model calls, two chat spans, one tool span.
    List<ReceivedSpan> chats = trace.stream().filter(s -> s.name().startsWith("chat ")).collect(Collectors.toList());
    assertEquals(2, chats.size(), tree(run.scenario("agent-observed")));
    assertTrue(chats.stream().allMatch(s -> s.scopeName().equals(SCOPE)), tree(run.scenario("agent-observed")));
    assertEquals(1, trace.stream().filter(s -> s.name().startsWith("execute_tool")).count());
    assertEquals(1, trace.stream().filter(s -> s.name().startsWith("invoke_agent")).count());
    assertTrue(trace.stream().anyMatch(s -> s.scopeName().equals("app-micrometer-tracing")),
        "the app's own tracing still runs: " + tree(run.scenario("agent-observed")));
    // Spring AI's observations still reach the app's own handlers.
    assertTrue(run.result("agent-observed").startsWith("ok observed=2 "), run.result("agent-observed"));
    for (ReceivedSpan chat : chats) assertEquals(agent.traceId(), chat.traceId());
  }

  @Test
  void a429IsOneChatSpanWhateverTheLinesRetryDoes() {
    ReceivedSpan chat = onlySpanUnder("chat-retried", "chat gpt-4o-mini");
    if (line().equals("boot4")) {
      // Spring AI 2.0 retries in the OpenAI SDK, whose llm-otel instrumentation sees each attempt
      // and, finding the call's span already open, adds them to it instead of making its own.
      assertEquals("UNSET", chat.statusCode());
      assertEquals(2, run.llm.requests("chat-retried").size());
      assertOneSpanRetriedOnceAfter429(chat);
      run.assertServedUsage("chat-retried", chat);
    } else {
      // Spring AI 1.1's error handler treats every 4xx, 429 included, as not worth retrying.
      String type = "org.springframework.ai.retry.NonTransientAiException";
      assertTrue(run.result("chat-retried").startsWith("error " + type), run.result("chat-retried"));
      assertEquals("ERROR", chat.statusCode());
      assertEquals(type, chat.attr("error.type"));
      assertEquals(1, run.llm.requests("chat-retried").size());
    }
  }

  @Test
  void aDirectModelCallIsAChatSpanWithoutAnAgent() {
    ReceivedSpan span = onlySpanUnder("chat", "chat gpt-4o-mini");
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    run.assertServedUsage("chat", span);
  }

  @Test
  void aStreamedModelCallCountsItsChunksAndUsage() {
    ReceivedSpan span = onlySpanUnder("chat-stream", "chat gpt-4o-mini");
    assertEquals(SCOPE, span.scopeName());
    assertEquals(Boolean.TRUE, span.attributes().get("gen_ai.request.stream"));
    assertEquals("stop", span.attr("gen_ai.response.finish_reasons"));
    // The usage chunk's numbers, the server's for this request, not an estimate from the streamed text.
    run.assertServedUsage("chat-stream", span);
    String appSaw = run.result("chat-stream");
    assertTrue(appSaw.startsWith("ok chunks="), appSaw);
    long chunks = Long.parseLong(appSaw.substring("ok chunks=".length(), appSaw.indexOf(' ', "ok chunks=".length())));
    assertEquals(chunks, span.longAttr("llm_otel.stream.chunks"), "every element the app received counted once");
    assertNotNull(span.doubleAttr("gen_ai.response.time_to_first_chunk"), span.attributes().toString());
    // The stream's HTTP call nests under the chat span, and nothing else claims the call.
    List<ReceivedSpan> under = run.receiver.children(span);
    assertEquals(1, under.size(), tree(span));
    assertEquals("CLIENT", under.get(0).kind());
  }

  @Test
  void aStreamTheAppCancelsEndsItsSpanThenAsClosedEarly() {
    ReceivedSpan span = onlySpanUnder("chat-stream-cancelled", "chat gpt-4o-mini");
    assertEquals("ok chunks=2", run.result("chat-stream-cancelled"));
    assertEquals("closed_early", span.attr("llm_otel.stream.end"), span.attributes().toString());
    assertEquals(2L, span.longAttr("llm_otel.stream.chunks"));
    assertEquals("UNSET", span.statusCode());
    assertTrue(span.endEpochNanos() <= run.scenario("chat-stream-cancelled").endEpochNanos(),
        "ended when the app cancelled, not later");
  }

  @Test
  void aStreamingAgentRunKeepsItsToolAndSecondCallUnderIt() {
    ReceivedSpan agent = onlyAgent("agent-stream", "WeatherAgent");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"), names(steps),
        tree(run.scenario("agent-stream")) + "\nall: " + run.receiver.spans(s -> true).stream()
            .filter(s -> s.traceId().equals(agent.traceId())).map(s -> s.name() + "/" + s.parentSpanId() + "/" + s.spanId())
            .collect(Collectors.toList()));
    assertEquals(steps.get(0).spanId(), steps.get(1).links().get(0).spanId());
    assertEquals("stop", steps.get(2).attr("gen_ai.response.finish_reasons"));
    for (ReceivedSpan chat : Arrays.asList(steps.get(0), steps.get(2))) {
      assertEquals(Boolean.TRUE, chat.attributes().get("gen_ai.request.stream"));
      assertTrue(run.receiver.children(chat).stream().noneMatch(s -> s.name().startsWith("chat")), tree(agent));
    }
    // Spring AI ends a streamed run's observation in doFinally, which Reactor runs before the
    // inner call's (1.1), or on another thread (2.0): the run still ends after its last call.
    assertTrue(agent.endEpochNanos() >= steps.get(2).endEpochNanos(), tree(agent));
    assertTrue(run.result("agent-stream").contains("Fake answer using tool result"), run.result("agent-stream"));
  }

  /**
   * A streamed tool loop: each call has its own usage (the fake server's numbers, not Spring AI's
   * running total), and the answer's chunks are counted on the call that sent them, the follow-up
   * (Spring AI 1.1 streams it through the first call's Flux; the first call's own tool-call chunks
   * never reach the app there).
   */
  @Test
  void aStreamingToolLoopsCallsReportTheirOwnUsageAndChunks() {
    List<ReceivedSpan> steps = childrenInOrder(onlyAgent("agent-stream", "WeatherAgent"));
    List<dev.llmotel.testkit.fakellm.RecordedRequest> sent = run.llm.requests("agent-stream");
    assertEquals(2, sent.size(), sent.toString());
    String appSaw = run.result("agent-stream");
    String answer = appSaw.substring(appSaw.indexOf(" text=") + " text=".length());
    long[][] expected = {
        {dev.llmotel.testkit.fakellm.FakeLlmServer.promptTokens(sent.get(0).json().get("messages")), 2},
        {dev.llmotel.testkit.fakellm.FakeLlmServer.promptTokens(sent.get(1).json().get("messages")),
            dev.llmotel.testkit.fakellm.FakeLlmServer.words(answer)}};
    ReceivedSpan[] chats = {steps.get(0), steps.get(2)};
    for (int i = 0; i < 2; i++) {
      ReceivedSpan chat = chats[i];
      assertEquals(expected[i][0], chat.longAttr("gen_ai.usage.input_tokens"), "call " + i + ": " + chat.attributes());
      assertEquals(expected[i][1], chat.longAttr("gen_ai.usage.output_tokens"), "call " + i + ": " + chat.attributes());
    }
    ReceivedSpan followUp = steps.get(2);
    assertNotNull(followUp.longAttr("llm_otel.stream.chunks"), followUp.attributes().toString());
    assertTrue(followUp.longAttr("llm_otel.stream.chunks") > 0, followUp.attributes().toString());
    assertNotNull(followUp.doubleAttr("gen_ai.response.time_to_first_chunk"), followUp.attributes().toString());
  }

  /**
   * Output validation (issue 21): OpenAiChatOptions with a JSON_SCHEMA response format, blocking and
   * streamed, and tools offered to a model that leaves running them to the app.
   */
  @Test
  void structuredAnswersAreMarkedValidOrNotAndUnusableOnesEscalated() {
    assertDirectStructuredCallsAreCheckedAndEscalated();
    assertProseAndTruncatedAnswersAreEscalated();
    assertEquals(1, run.llm.requests("out-tool-wrong").size(), "the app runs the tool, not the model");
    // OpenAI's refusal, which Spring AI keeps in the generation's metadata: escalated as such, not checked.
    OutputChecks out = outputChecks();
    out.assertNotChecked("out-refusal");
    out.assertEscalated("out-refusal", "refusal");
  }

  /**
   * A ChatClient agent's tool call whose arguments miss the property the tool's schema requires: the
   * call asking for it is invalid and escalated; Spring AI still runs the tool (the missing argument
   * as null) and the run goes on to its answer.
   */
  @Test
  void aToolCallOutsideTheToolsSchemaIsEscalatedAndTheAgentRunGoesOn() {
    ReceivedSpan agent = onlyAgent("out-agent-tool-wrong", "WeatherAgent");
    List<ReceivedSpan> steps = childrenInOrder(agent);
    assertEquals(Arrays.asList("chat gpt-4o-mini", "execute_tool get_weather", "chat gpt-4o-mini"), names(steps),
        tree(agent));
    assertAgentCallEscalated(steps.get(0), "WeatherAgent", "tool get_weather: $: required");
    assertNull(steps.get(2).attr("llm_otel.escalation.reason"), steps.get(2).attributes().toString());
    assertEquals("UNSET", steps.get(1).statusCode(), "the tool ran: " + tree(agent));
    assertEquals("UNSET", agent.statusCode(), tree(agent));
    assertTrue(run.result("out-agent-tool-wrong").startsWith("ok Fake answer using tool result"),
        run.result("out-agent-tool-wrong"));
  }

  @Test
  void embeddingsGetTheirOwnSpan() {
    ReceivedSpan span = onlySpanUnder("embeddings", "embeddings text-embedding-3-small");
    assertEquals(SCOPE, span.scopeName());
    assertEquals("openai", span.attr("gen_ai.provider.name"));
    assertEquals(2L, span.longAttr("gen_ai.usage.input_tokens"), "the fake server counts two words");
  }

  @Test
  void aRagFlowShowsTheVectorStoreQueryWithItsEmbeddingThenTheAgent() {
    ReceivedSpan root = run.scenario("rag");
    List<ReceivedSpan> spans = childrenInOrder(root);
    // Loading the store embeds the documents (one call per document or one for all, by release),
    // then the query embeds the question under its retrieval span, then the agent answers.
    int n = spans.size();
    assertTrue(n >= 3, tree(root));
    for (ReceivedSpan load : spans.subList(0, n - 2)) {
      assertEquals("embeddings text-embedding-3-small", load.name(), tree(root));
    }
    ReceivedSpan retrieval = spans.get(n - 2);
    assertEquals("invoke_agent KnowledgeAgent", spans.get(n - 1).name(), tree(root));
    // The store as Spring AI names it: its collection where it has one, else its kind.
    String store = retrieval.attr("gen_ai.data_source.id");
    assertNotNull(store, tree(root));
    assertEquals("retrieval " + store, retrieval.name());
    assertEquals("retrieval", retrieval.attr("gen_ai.operation.name"));
    assertEquals("simple", retrieval.attr("db.system.name"));
    assertEquals(1L, retrieval.longAttr("gen_ai.request.top_k"));
    assertEquals(1L, retrieval.longAttr("llm_otel.retrieval.documents"));
    assertEquals(List.of("embeddings text-embedding-3-small"), names(childrenInOrder(retrieval)), tree(root));
    assertEquals(List.of("chat gpt-4o-mini"), names(childrenInOrder(spans.get(n - 1))), tree(root));
    assertTrue(run.result("rag").startsWith("ok documents=1 "), run.result("rag"));
  }
}
