package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolCall;
import dev.llmotel.core.faults.ToolFault;
import dev.llmotel.semconv.McpAttributes;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import reactor.core.publisher.Mono;

/**
 * What the advice on the client session's {@code sendRequest} calls, the one method every client
 * request of the SDK goes through: the request's span starts there, its params go out as a copy
 * whose {@code _meta} carries the span's context, and the Mono it returns ends the span. A chaos
 * drill's tool fault (fault file {@code tool_faults}, by tool name) is applied to a {@code tools/call}
 * here, as the SDK itself would show it. Every method is safe: a failure of ours is logged once and
 * the app's request goes on untouched.
 */
public final class McpClientCalls {
  private McpClientCalls() {}

  /** The protocol version each client session negotiated (its initialize result). */
  private static final Map<Object, String> PROTOCOL_VERSIONS = Collections.synchronizedMap(new WeakHashMap<>());

  /** An operation and the params to send instead of the app's. */
  static final class Started {
    final McpOperation op;
    final Object params;
    final Object transport;
    final Object session;
    final McpToolFaults fault;

    Started(McpOperation op, Object params, Object transport, Object session, McpToolFaults fault) {
      this.op = op;
      this.params = params;
      this.transport = transport;
      this.session = session;
      this.fault = fault;
    }
  }

  /** Map conversion for the params copy: through the transport's own JSON mapper, as the request will be written. */
  private static final class ParamsType extends TypeRef<Map<String, Object>> {}

  /** At {@code sendRequest}'s start: the operation (null when nothing is traced here). */
  public static Object start(Object session, Object transport, String method, Object params) {
    try {
      if (method == null) return null;
      SafeHooks.checkpoint("start");
      Context parent = Context.current();
      ToolCall tool = AgentInstrumenter.currentTool(parent);
      boolean toolCall = McpAttributes.TOOLS_CALL.equals(method);
      Span frameworkTool = toolCall && tool != null ? Span.fromContext(parent) : null;
      String target = McpSchemaAccess.target(method, params);
      McpOperation op = McpOperation.start(false, parent, method, target,
          McpSchemaAccess.networkTransport(transport), frameworkTool, null);
      op.put(McpAttributes.MCP_PROTOCOL_VERSION, PROTOCOL_VERSIONS.get(session));
      McpToolFaults fault = McpToolFaults.decide(op, parent);
      Object sent = params;
      if (transport instanceof McpTransport) {
        Map<String, Object> asMap = params == null ? null
            : ((McpTransport) transport).unmarshalFrom(params, new ParamsType());
        sent = McpMeta.withContext(asMap, op.context);
      }
      return new Started(op, sent, transport, session, fault);
    } catch (Throwable t) {
      SafeHooks.failed("mcp client request", t);
      return null;
    }
  }

  /** The params {@code sendRequest} sends: the copy carrying the trace context, else the app's. */
  public static Object params(Object started, Object params) {
    return started instanceof Started ? ((Started) started).params : params;
  }

  /** At {@code sendRequest}'s end: the Mono the app gets, which ends the span (and applies a drill's fault). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object end(Object started, Object returned, Throwable thrown) {
    if (!(started instanceof Started)) return returned;
    Started s = (Started) started;
    if (thrown != null || !(returned instanceof Mono)) {
      s.op.end(null, null, false, thrown);
      return returned;
    }
    try {
      Mono<Object> mono = withFault(s, (Mono<Object>) returned);
      mono = mono.doOnSuccess(result -> ended(s, result, null))
          .doOnError(error -> ended(s, null, error))
          .doOnCancel(() -> ended(s, null, null));
      return new ContextMono(mono, s.op.context);
    } catch (Throwable t) {
      SafeHooks.failed("mcp client response", t);
      s.op.end(null, null, false, null);
      return returned;
    }
  }

  /** A drill's tool fault, as the SDK shows the real one: a slow or silent server, an error result, another result. */
  private static Mono<Object> withFault(Started s, Mono<Object> mono) {
    if (s.fault == null) return mono;
    // A failing tool, as MCP reports one: a result that says isError, with the failure's message.
    return s.fault.apply(mono, message -> McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build(),
        McpClientCalls::replaced);
  }

  /** A tool result replaced, or with a payload appended, as text content. */
  private static Object replaced(ToolFault fault, Object result) {
    if (!(result instanceof McpSchema.CallToolResult)) return result;
    StringBuilder text = new StringBuilder();
    for (McpSchema.Content c : ((McpSchema.CallToolResult) result).content()) {
      if (c instanceof McpSchema.TextContent) text.append(text.length() == 0 ? "" : "\n").append(((McpSchema.TextContent) c).text());
    }
    Object changed = fault.result(text.toString());
    return McpSchema.CallToolResult.builder().addTextContent(String.valueOf(changed)).isError(false).build();
  }

  private static void ended(Started s, Object result, Throwable error) {
    try {
      SafeHooks.checkpoint("response");
      if (result instanceof McpSchema.InitializeResult) {
        String version = ((McpSchema.InitializeResult) result).protocolVersion();
        if (version != null) PROTOCOL_VERSIONS.put(s.session, version);
        s.op.put(McpAttributes.MCP_PROTOCOL_VERSION, version);
      }
      s.op.put(McpAttributes.MCP_SESSION_ID, McpSchemaAccess.clientSessionId(s.transport));
      boolean toolError = result instanceof McpSchema.CallToolResult
          && Boolean.TRUE.equals(((McpSchema.CallToolResult) result).isError());
      if (s.fault != null) s.fault.report(s.op, error != null || toolError);
      s.op.end(null, null, toolError, error);
    } catch (Throwable t) {
      SafeHooks.failed("mcp client response", t);
      s.op.end(null, null, false, error); // the span still ends
    }
  }

  /** Client sessions open: their duration when they close. */
  private static final McpSessionClock SESSIONS = new McpSessionClock(() -> McpTelemetry.get().clientSessionDuration,
      PROTOCOL_VERSIONS::get, "mcp client session");

  /** A client session was created (its constructor returned). */
  public static void sessionOpened(Object session, Object transport) {
    SESSIONS.opened(session, McpSchemaAccess.networkTransport(transport));
  }

  /** A client session is closed ({@code close} or {@code closeGracefully}): its duration, once. */
  public static void sessionClosed(Object session) {
    SESSIONS.closed(session);
  }

  /** Any client transport's {@code sendMessage}: a request of a traced operation gets its JSON-RPC id. */
  public static void sending(Object message) {
    try {
      if (!(message instanceof McpSchema.JSONRPCRequest)) return;
      McpOperation op = McpOperation.current(Context.current());
      if (op != null && !op.server) op.requestId(((McpSchema.JSONRPCRequest) message).id());
    } catch (Throwable t) {
      SafeHooks.failed("mcp client message", t);
    }
  }
}
