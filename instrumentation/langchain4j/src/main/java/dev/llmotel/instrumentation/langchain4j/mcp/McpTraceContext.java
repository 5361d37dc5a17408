package dev.llmotel.instrumentation.langchain4j.mcp;

import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.McpMetaSupplier;
import dev.langchain4j.mcp.protocol.McpClientMethod;
import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.McpAttributes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LangChain4j's own MCP client ({@code langchain4j-mcp}, not the MCP Java SDK): every request it sends
 * carries the trace context in {@code params._meta}, as the MCP conventions propagate it, through the
 * client's meta supplier; an app's own supplier still runs and its entries are kept. So an MCP server
 * that reads the context (one built on the MCP Java SDK under the agent) joins the agent's trace, under
 * the tool's span.
 */
public final class McpTraceContext implements McpMetaSupplier {
  private final McpMetaSupplier app;
  /** The client's transport: its kind and, over streamable HTTP, its session id go on the tool's span. */
  private final Object transport;

  private McpTraceContext(McpMetaSupplier app, Object transport) {
    this.app = app;
    this.transport = transport;
  }

  /** At {@code DefaultMcpClient.Builder.build()}: the builder's meta supplier, wrapped once. */
  public static void install(Object builder) {
    try {
      Field field = builder.getClass().getDeclaredField("metaSupplier");
      field.setAccessible(true);
      Object current = field.get(builder);
      if (current instanceof McpTraceContext) return;
      field.set(builder, new McpTraceContext((McpMetaSupplier) current, transportOf(builder)));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j mcp client", t);
    }
  }

  private static Object transportOf(Object builder) {
    try {
      Field field = builder.getClass().getDeclaredField("transport");
      field.setAccessible(true);
      return field.get(builder);
    } catch (Throwable t) {
      return null; // the tool's span goes without the transport's attributes
    }
  }

  @Override
  public Map<String, Object> apply(McpCallContext call) {
    Map<String, Object> meta = new LinkedHashMap<>();
    if (app != null) {
      Map<String, Object> own = app.apply(call);
      if (own != null) meta.putAll(own);
    }
    try {
      Context context = Context.current();
      GlobalOpenTelemetry.getPropagators().getTextMapPropagator().inject(context, meta,
          (carrier, key, value) -> {
            if (carrier != null) carrier.put(key, value);
          });
      describeToolCall(context, call, transport);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j mcp client", t);
    }
    return meta;
  }

  /**
   * A {@code tools/call} sent from inside LangChain4j's tool execution: that execute_tool span is the
   * MCP call's client span (this client makes none of its own), so it gets the MCP conventions'
   * method name, JSON-RPC request id, network transport and, over streamable HTTP, session id.
   */
  private static void describeToolCall(Context context, McpCallContext call, Object transport) {
    if (call == null || call.message() == null || call.message().method != McpClientMethod.TOOLS_CALL) return;
    if (AgentInstrumenter.currentTool(context) == null) return;
    Span tool = Span.fromContext(context);
    tool.setAttribute(McpAttributes.MCP_METHOD_NAME, McpAttributes.TOOLS_CALL);
    Long id = call.message().getId();
    if (id != null) tool.setAttribute(McpAttributes.JSONRPC_REQUEST_ID, String.valueOf(id));
    if (transport == null) return;
    // By class name: the transports a release has differ (streamable HTTP came after SSE).
    String type = transport.getClass().getName();
    if (type.endsWith(".StdioMcpTransport")) {
      tool.setAttribute(McpAttributes.NETWORK_TRANSPORT, "pipe");
    } else if (type.endsWith("McpTransport") && type.startsWith("dev.langchain4j.mcp.client.transport.")) {
      tool.setAttribute(McpAttributes.NETWORK_TRANSPORT, "tcp"); // HTTP (SSE, streamable) and WebSocket
    }
    String session = sessionId(transport);
    if (session != null) tool.setAttribute(McpAttributes.MCP_SESSION_ID, session);
  }

  /** The streamable HTTP transport's session id (set by the server at initialize), or null. */
  private static String sessionId(Object transport) {
    try {
      Object id = transport.getClass().getMethod("getMcpSessionId").invoke(transport);
      return id instanceof String && !((String) id).isEmpty() ? (String) id : null;
    } catch (NoSuchMethodException e) {
      return null; // stdio, SSE and WebSocket transports have no session id
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j mcp session id", t);
      return null;
    }
  }
}
