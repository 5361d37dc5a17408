package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.otlp.ReceivedPoint;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MCP tool calls under the real agent, client and server each in a JVM of its own (the client app
 * starts the server), over stdio and streamable HTTP, with the oldest supported 1.x (on Java 17) and the
 * newest 2.x (on Java 25, also with the SDK's second API) MCP Java SDK: the client's request spans, the server's spans in the same trace (the context went in
 * the request's {@code params._meta}), the app's code in the server's tool nested under the server's
 * span, errors as the conventions name them, the duration metrics, and a chaos drill's tool fault on an
 * MCP tool call.
 */
class McpSmokeTest {
  static final List<String> SCENARIOS = List.of("mcp-stdio", "mcp-stdio-errors", "mcp-http", "mcp-fault");
  /** The SDK's second API (io.modelcontextprotocol.modern), which only the newest release has. */
  static final List<String> MODERN_SCENARIOS = List.of("mcp-modern-stdio", "mcp-modern-http", "mcp-modern-parallel");
  static final String FAULTS = "{\"tool_faults\": [{\"fault\": \"tool_error\", \"tool\": \"echo\","
      + " \"workflow\": \"scenario mcp-fault\", \"message\": \"drill: weather MCP server down\"},"
      + " {\"fault\": \"tool_result\", \"tool\": \"echo\", \"workflow\": \"scenario mcp-modern-http\","
      + " \"result\": \"drill: stale forecast\"}]}";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"oldest", "newest"})
  void mcpRequestsAreTracedFromClientToServer(String release) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      Map<String, String> p = new HashMap<>();
      p.put("smoke.scenario-workflow", "true");
      p.put("otel.resource.attributes", "deployment.environment.name=staging");
      p.put("otel.instrumentation.llm-otel.faults.file", GovernanceFiles.write("mcp-faults.json", FAULTS).toString());
      p.put("otel.instrumentation.llm-otel.faults.enabled-in", "staging");
      boolean modern = "newest".equals(release);
      List<String> scenarios = new java.util.ArrayList<>(SCENARIOS);
      if (modern) scenarios.addAll(MODERN_SCENARIOS);
      // The oldest release on Java 17, the newest on Java 25 (its client starts its servers on the same JDK).
      String javaHome = modern ? AgentApp.required("smoke.java25Home") : System.getProperty("java.home");
      run.launchApp("mcp-" + release, "mcp-app-" + release, "dev.llmotel.smoke.mcp.McpSmokeApp", javaHome, p,
          scenarios, "mcp.client.operation.duration");
      run.assertRanCleanly(scenarios.size());
      assertEquals("ok isError=false echo: hello over stdio", run.result("mcp-stdio"));
      assertEquals("ok isError=false echo: hello over http", run.result("mcp-http"));

      // stdio: the client's call, the server's span under it (another JVM), the tool's own code under that.
      ReceivedSpan call = clientCall(run, "mcp-stdio", "tools/call echo");
      assertEquals("CLIENT", call.kind());
      assertEquals("dev.llmotel.mcp", call.scopeName());
      assertEquals("tools/call", call.attr("mcp.method.name"));
      assertEquals("execute_tool", call.attr("gen_ai.operation.name"));
      assertEquals("echo", call.attr("gen_ai.tool.name"));
      assertEquals("pipe", call.attr("network.transport"));
      assertNotNull(call.attr("jsonrpc.request.id"), call.toString());
      assertNotNull(call.attr("mcp.protocol.version"), "negotiated at initialize: " + call);
      ReceivedSpan served = serverSpan(run, call);
      assertEquals(call.attr("jsonrpc.request.id"), served.attr("jsonrpc.request.id"));
      assertEquals("echo", served.attr("gen_ai.tool.name"));
      assertTrue(String.valueOf(served.resourceAttributes().get("service.name")).endsWith("-server"),
          "the server's own process: " + served.resourceAttributes());
      List<ReceivedSpan> trace = run.receiver.trace(call.traceId());
      assertTrue(trace.stream().anyMatch(s -> s.name().equals("lookup weather") && s.parentSpanId().equals(served.spanId())),
          "the tool's code nests under the server's span: " + trace);
      assertTrue(trace.stream().anyMatch(s -> s.name().equals("tools/list") && "CLIENT".equals(s.kind())), "" + trace);

      // Errors: a tool that reports a failure, a tool the server does not have (the client's mistake).
      ReceivedSpan failed = clientCall(run, "mcp-stdio-errors", "tools/call fail");
      assertEquals("tool_error", failed.attr("error.type"));
      assertEquals("ERROR", failed.statusCode());
      assertEquals("tool_error", serverSpan(run, failed).attr("error.type"));
      ReceivedSpan unknown = clientCall(run, "mcp-stdio-errors", "tools/call no_such_tool");
      assertEquals("-32602", unknown.attr("error.type"));
      assertEquals("-32602", unknown.attr("rpc.response.status_code"));
      assertEquals("ERROR", unknown.statusCode());
      ReceivedSpan unknownServed = serverSpan(run, unknown);
      assertEquals("-32602", unknownServed.attr("error.type"));
      assertFalse("ERROR".equals(unknownServed.statusCode()), "the client's mistake is no server error");

      // Streamable HTTP: the session id on both sides.
      ReceivedSpan httpCall = clientCall(run, "mcp-http", "tools/call echo");
      assertEquals("tcp", httpCall.attr("network.transport"));
      assertNotNull(httpCall.attr("mcp.session.id"), httpCall.toString());
      ReceivedSpan httpServed = serverSpan(run, httpCall);
      assertEquals(httpCall.attr("mcp.session.id"), httpServed.attr("mcp.session.id"));

      // A drill's tool_error: the tool answers with an error result, the server never sees the call.
      assertEquals("ok isError=true drill: weather MCP server down", run.result("mcp-fault"));
      ReceivedSpan faulted = clientCall(run, "mcp-fault", "tools/call echo");
      assertEquals("[tool_error]", String.valueOf(faulted.attributes().get("llm_otel.fault.injected")));
      assertEquals("tool_error", faulted.attr("error.type"));
      assertTrue(run.receiver.trace(faulted.traceId()).stream()
          .noneMatch(s -> "SERVER".equals(s.kind()) && "tools/call echo".equals(s.name())), "the call was never sent");

      // Every session the client opened (one per scenario), by transport, with the version it negotiated.
      List<ReceivedPoint> sessions = run.receiver.latestPoints("mcp.client.session.duration");
      for (String transport : List.of("pipe", "tcp")) {
        assertTrue(sessions.stream().anyMatch(pt -> transport.equals(pt.attr("network.transport"))
            && pt.attr("mcp.protocol.version") != null && pt.count() >= 1), transport + ": " + sessions);
      }
      assertEquals(SCENARIOS.size(), sessions.stream().mapToLong(ReceivedPoint::count).sum(), "" + sessions);
      // The server's sessions, each ended by its client (a stdio one when its input ends, a streamable HTTP one
      // when the client deletes it), by transport, with the version negotiated: one per scenario, each once.
      assertTrue(run.receiver.awaitMetric("mcp.server.session.duration", Duration.ofSeconds(20)));
      List<ReceivedPoint> serverSessions = run.receiver.latestPoints("mcp.server.session.duration");
      for (String transport : List.of("pipe", "tcp")) {
        assertTrue(serverSessions.stream().anyMatch(pt -> transport.equals(pt.attr("network.transport"))
            && pt.attr("mcp.protocol.version") != null && pt.count() >= 1), transport + ": " + serverSessions);
      }
      assertEquals(SCENARIOS.size(), serverSessions.stream().mapToLong(ReceivedPoint::count).sum(), "" + serverSessions);
      // Streamable HTTP answers initialize outside the session's dispatch: its server span all the same.
      ReceivedSpan init = clientCall(run, "mcp-http", "initialize");
      ReceivedSpan initServed = serverSpan(run, init);
      assertEquals("initialize", initServed.name());
      assertEquals("initialize", initServed.attr("mcp.method.name"));
      assertEquals(httpCall.attr("mcp.protocol.version"), initServed.attr("mcp.protocol.version"));
      assertEquals(httpCall.attr("mcp.session.id"), initServed.attr("mcp.session.id"), "the session it opened");
      assertTrue(run.receiver.awaitMetric("mcp.server.operation.duration", Duration.ofSeconds(20)));
      for (String metric : List.of("mcp.client.operation.duration", "mcp.server.operation.duration")) {
        List<ReceivedPoint> points = run.receiver.latestPoints(metric);
        assertTrue(points.stream().anyMatch(pt -> "tools/call".equals(pt.attr("mcp.method.name"))
            && "echo".equals(pt.attr("gen_ai.tool.name"))), metric + ": " + points);
        assertTrue(points.stream().noneMatch(pt -> pt.attr("mcp.session.id") != null || pt.attr("jsonrpc.request.id") != null),
            metric + " has no per-session or per-request attributes");
      }
      if (modern) assertModernApi(run);
    }
  }

  /**
   * The SDK's second API: a stateless client and server (no initialize, no session; every request
   * carries its protocol version in {@code _meta}), the same spans, errors and trace context as the
   * classic API, and a drill's tool fault on its client.
   */
  static void assertModernApi(SmokeRun run) {
    assertEquals("ok isError=false echo: hello over modern stdio | isError=true the backend is down | error McpException",
        run.result("mcp-modern-stdio"));
    ReceivedSpan call = clientCall(run, "mcp-modern-stdio", "tools/call echo");
    assertEquals("tools/call", call.attr("mcp.method.name"));
    assertEquals("execute_tool", call.attr("gen_ai.operation.name"));
    assertEquals("echo", call.attr("gen_ai.tool.name"));
    assertEquals("pipe", call.attr("network.transport"));
    assertNotNull(call.attr("jsonrpc.request.id"), call.toString());
    assertNotNull(call.attr("mcp.protocol.version"), "every request claims its version: " + call);
    assertEquals(null, call.attr("mcp.session.id"), "a stateless protocol has no session: " + call);
    ReceivedSpan served = serverSpan(run, call);
    for (ReceivedSpan side : List.of(call, served)) {
      assertTrue(String.valueOf(side.resourceAttributes().get("process.runtime.version")).startsWith("25"),
          "client and server on Java 25: " + side.resourceAttributes());
    }
    assertEquals(call.attr("jsonrpc.request.id"), served.attr("jsonrpc.request.id"));
    assertEquals(call.attr("mcp.protocol.version"), served.attr("mcp.protocol.version"));
    assertEquals("echo", served.attr("gen_ai.tool.name"));
    assertEquals("pipe", served.attr("network.transport"));
    List<ReceivedSpan> trace = run.receiver.trace(call.traceId());
    assertTrue(trace.stream().anyMatch(s -> s.name().equals("lookup weather") && s.parentSpanId().equals(served.spanId())),
        "the tool's code nests under the server's span: " + trace);
    assertTrue(trace.stream().anyMatch(s -> s.name().equals("tools/list") && "CLIENT".equals(s.kind())), "" + trace);
    assertTrue(trace.stream().noneMatch(s -> s.name().equals("initialize")), "no initialize: " + trace);

    ReceivedSpan failed = clientCall(run, "mcp-modern-stdio", "tools/call fail");
    assertEquals("tool_error", failed.attr("error.type"));
    assertEquals("ERROR", failed.statusCode());
    assertEquals("tool_error", serverSpan(run, failed).attr("error.type"));
    ReceivedSpan unknown = clientCall(run, "mcp-modern-stdio", "tools/call no_such_tool");
    assertTrue(String.valueOf(unknown.attr("error.type")).matches("-32\\d{3}"), "a JSON-RPC error code: " + unknown);
    assertEquals(unknown.attr("error.type"), unknown.attr("rpc.response.status_code"));
    assertEquals("ERROR", unknown.statusCode());
    ReceivedSpan unknownServed = serverSpan(run, unknown);
    assertEquals(unknown.attr("error.type"), unknownServed.attr("error.type"));
    assertFalse("ERROR".equals(unknownServed.statusCode()), "the client's mistake is no server error: " + unknownServed);

    // Over HTTP, with a drill replacing the tool's result on the client: the server still ran the tool.
    assertEquals("ok isError=false drill: stale forecast | async isError=true", run.result("mcp-modern-http"));
    ReceivedSpan httpCall = clientCall(run, "mcp-modern-http", "tools/call echo");
    assertEquals("tcp", httpCall.attr("network.transport"));
    assertEquals("[tool_result]", String.valueOf(httpCall.attributes().get("llm_otel.fault.injected")));
    ReceivedSpan httpServed = serverSpan(run, httpCall);
    assertEquals("tcp", httpServed.attr("network.transport"));
    assertEquals(httpCall.attr("jsonrpc.request.id"), httpServed.attr("jsonrpc.request.id"));
    // The async client, subscribed later than it was called: its span still under the scenario's, the server's under it.
    ReceivedSpan asyncCall = clientCall(run, "mcp-modern-http", "tools/call fail");
    assertEquals(run.scenario("mcp-modern-http").spanId(), asyncCall.parentSpanId());
    assertEquals("tool_error", asyncCall.attr("error.type"));
    assertEquals("tool_error", serverSpan(run, asyncCall).attr("error.type"));
    // Eight threads through one client at once: eight client spans, each with its own request id, each with
    // the one server span of that id under it, and the tool's code under that.
    assertEquals("ok 8 distinct answers", run.result("mcp-modern-parallel"));
    List<ReceivedSpan> parallel = run.receiver.trace(run.scenario("mcp-modern-parallel").traceId()).stream()
        .filter(s -> s.name().equals("tools/call echo") && "CLIENT".equals(s.kind())).collect(Collectors.toList());
    assertEquals(8, parallel.size(), "" + parallel);
    assertEquals(8, parallel.stream().map(s -> s.attr("jsonrpc.request.id")).distinct().count(), "" + parallel);
    for (ReceivedSpan p : parallel) {
      ReceivedSpan s = serverSpan(run, p);
      assertEquals(p.attr("jsonrpc.request.id"), s.attr("jsonrpc.request.id"));
      assertTrue(run.receiver.trace(p.traceId()).stream()
          .anyMatch(t -> t.name().equals("lookup weather") && t.parentSpanId().equals(s.spanId())), "" + s);
    }
    List<ReceivedPoint> points = run.receiver.latestPoints("mcp.server.operation.duration");
    assertTrue(points.stream().anyMatch(pt -> "tools/call".equals(pt.attr("mcp.method.name"))
        && "tcp".equals(pt.attr("network.transport")) && call.attr("mcp.protocol.version").equals(pt.attr("mcp.protocol.version"))),
        "the modern server's requests by transport and version: " + points);
  }

  /** The one client span of this name in the scenario's trace. */
  static ReceivedSpan clientCall(SmokeRun run, String scenario, String name) {
    List<ReceivedSpan> found = run.receiver.trace(run.scenario(scenario).traceId()).stream()
        .filter(s -> s.name().equals(name) && "CLIENT".equals(s.kind()) && "dev.llmotel.mcp".equals(s.scopeName()))
        .collect(Collectors.toList());
    assertEquals(1, found.size(), scenario + " " + name + ": " + run.receiver.trace(run.scenario(scenario).traceId()));
    return found.get(0);
  }

  /** The server's span of a client call: a child of it, in the same trace (it may arrive after the client exited). */
  static ReceivedSpan serverSpan(SmokeRun run, ReceivedSpan call) {
    List<ReceivedSpan> found = run.receiver.awaitSpans(s -> "SERVER".equals(s.kind())
        && call.spanId().equals(s.parentSpanId()), 1, Duration.ofSeconds(20));
    assertEquals(1, found.size(), "the server's span under " + call + ": " + run.receiver.trace(call.traceId()));
    ReceivedSpan served = found.get(0);
    assertEquals(call.traceId(), served.traceId());
    assertEquals(call.name(), served.name());
    assertEquals("dev.llmotel.mcp", served.scopeName());
    return served;
  }
}
