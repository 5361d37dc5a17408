package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.McpAttributes;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import reactor.core.publisher.Mono;

/**
 * What the advice on the server's request dispatch calls: each request a client sends is a SERVER
 * span, a child of the context its {@code params._meta} carries (linked to the transport's own
 * context when there is one), current while the server handles it, so the app's tool code nests
 * under it. Over stdio the dispatch returns the response; over streamable HTTP the response goes
 * out through the transport, where its error is read. Every method is safe.
 */
public final class McpServerCalls {
  private McpServerCalls() {}

  /** The protocol version each stdio server session negotiated (its initialize response). */
  private static final Map<Object, String> PROTOCOL_VERSIONS = Collections.synchronizedMap(new WeakHashMap<>());
  /** A streamable session's request handled inside another instrumented method of the same request. */
  private static final ThreadLocal<Boolean> HANDLING = new ThreadLocal<>();

  /**
   * At the dispatch of one request (stdio: {@code McpServerSession}; streamable HTTP: the session or its
   * response stream): the operation, or null (a nested dispatch of the same request, or nothing to trace).
   */
  public static Object start(Object session, Object transport, Object request, String sessionId) {
    try {
      if (!(request instanceof McpSchema.JSONRPCRequest) || HANDLING.get() != null) return null;
      SafeHooks.checkpoint("start");
      McpSchema.JSONRPCRequest r = (McpSchema.JSONRPCRequest) request;
      McpOperation op = McpOperation.startServer(r.method(), r.params(), r.id(), McpSchemaAccess.networkTransport(transport));
      op.put(McpAttributes.MCP_SESSION_ID, sessionId);
      op.put(McpAttributes.MCP_PROTOCOL_VERSION, PROTOCOL_VERSIONS.get(session));
      HANDLING.set(Boolean.TRUE);
      return new Handling(op, session);
    } catch (Throwable t) {
      SafeHooks.failed("mcp server request", t);
      return null;
    }
  }

  static final class Handling {
    final McpOperation op;
    final Object session;

    Handling(McpOperation op, Object session) {
      this.op = op;
      this.session = session;
    }
  }

  /** The session id of a streamable HTTP session (its {@code Mcp-Session-Id}). */
  public static String streamableSessionId(Object session) {
    try {
      Object id = session == null ? null : session.getClass().getMethod("getId").invoke(session);
      return id == null ? null : id.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A streamable response stream's session id (the session encloses the stream). */
  public static String streamSessionId(Object stream) {
    return streamableSessionId(McpSchemaAccess.enclosingSession(stream));
  }

  /**
   * At the dispatch's end: the Mono that handles the request, subscribed with the span current; a
   * stdio dispatch's Mono carries the response, a streamable one's completes when it was sent.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object end(Object handling, Object returned, Throwable thrown) {
    if (!(handling instanceof Handling)) return returned;
    HANDLING.remove();
    Handling h = (Handling) handling;
    if (thrown != null || !(returned instanceof Mono)) {
      h.op.end(null, null, false, thrown);
      return returned;
    }
    try {
      Mono<Object> mono = ((Mono<Object>) returned)
          .doOnSuccess(result -> responded(h, result))
          .doOnError(error -> h.op.end(null, null, false, error))
          .doOnCancel(() -> h.op.end(null, null, false, null));
      return new ContextMono(mono, h.op.context);
    } catch (Throwable t) {
      SafeHooks.failed("mcp server response", t);
      h.op.end(null, null, false, null);
      return returned;
    }
  }

  private static void responded(Handling h, Object result) {
    if (result instanceof McpSchema.JSONRPCResponse) {
      response(h.op, (McpSchema.JSONRPCResponse) result, h.session);
    } else {
      h.op.end(null, null, false, null); // streamable: an error response was read on its way out (sending)
    }
  }

  /** A response of a traced request: its error, an isError tool result, an initialize result's protocol version. */
  static void response(McpOperation op, McpSchema.JSONRPCResponse response, Object session) {
    try {
      SafeHooks.checkpoint("response");
      Object result = response.result();
      if (result instanceof McpSchema.InitializeResult) {
        String version = ((McpSchema.InitializeResult) result).protocolVersion();
        if (version != null && session != null) PROTOCOL_VERSIONS.put(session, version);
        op.put(McpAttributes.MCP_PROTOCOL_VERSION, version);
      }
      boolean toolError = result instanceof McpSchema.CallToolResult
          && Boolean.TRUE.equals(((McpSchema.CallToolResult) result).isError())
          || McpSchemaAccess.mapSaysError(result);
      op.end(McpSchemaAccess.code(response.error()), McpSchemaAccess.message(response.error()), toolError, null);
    } catch (Throwable t) {
      SafeHooks.failed("mcp server response", t);
      op.end(null, null, false, null);
    }
  }

  /** Server sessions open: their duration when they end. */
  private static final McpSessionClock SESSIONS = new McpSessionClock(() -> McpTelemetry.get().serverSessionDuration,
      PROTOCOL_VERSIONS::get, "mcp server session");

  /** A server session was created (stdio: with its transport; streamable HTTP: none, it is TCP). */
  public static void sessionOpened(Object session, Object transport) {
    SESSIONS.opened(session, transport == null ? "tcp" : McpSchemaAccess.networkTransport(transport));
  }

  /** A server session is closed or deleted: its duration, once, with the protocol version it negotiated. */
  public static void sessionClosed(Object session) {
    SESSIONS.closed(session);
  }

  /**
   * A streamable HTTP server's {@code initialize}, which the transport answers through the session
   * factory, outside the session's dispatch: its SERVER span, a child of the context the request's
   * {@code _meta} carries. Null when there is nothing to trace.
   */
  public static Object startInitialize(Object initializeRequest) {
    try {
      if (!(initializeRequest instanceof McpSchema.InitializeRequest)) return null;
      Map<String, Object> meta = ((McpSchema.InitializeRequest) initializeRequest).meta();
      Context ambient = Context.current();
      Context parent = meta == null ? ambient : McpMeta.extract(Collections.singletonMap("_meta", meta), ambient);
      return McpOperation.start(true, parent, McpAttributes.INITIALIZE, null, "tcp", null,
          parent == ambient ? null : ambient);
    } catch (Throwable t) {
      SafeHooks.failed("mcp server initialize", t);
      return null;
    }
  }

  /**
   * The factory's answer: the new session (its id on the span) and its initialize result, which ends
   * the span when it is produced and gives the session its negotiated protocol version.
   */
  public static Object endInitialize(Object started, Object returned, Throwable thrown) {
    if (!(started instanceof McpOperation)) return returned;
    McpOperation op = (McpOperation) started;
    try {
      if (thrown != null || !(returned instanceof io.modelcontextprotocol.spec.McpStreamableServerSession.McpStreamableServerSessionInit)) {
        op.end(null, null, false, thrown);
        return returned;
      }
      io.modelcontextprotocol.spec.McpStreamableServerSession.McpStreamableServerSessionInit init =
          (io.modelcontextprotocol.spec.McpStreamableServerSession.McpStreamableServerSessionInit) returned;
      Object session = init.session();
      op.put(McpAttributes.MCP_SESSION_ID, streamableSessionId(session));
      Mono<McpSchema.InitializeResult> result = init.initResult()
          .doOnSuccess(r -> {
            String version = r == null ? null : r.protocolVersion();
            if (version != null && session != null) PROTOCOL_VERSIONS.put(session, version);
            op.put(McpAttributes.MCP_PROTOCOL_VERSION, version);
            op.end(null, null, false, null);
          })
          .doOnError(error -> op.end(null, null, false, error))
          .doOnCancel(() -> op.end(null, null, false, null));
      return new io.modelcontextprotocol.spec.McpStreamableServerSession.McpStreamableServerSessionInit(
          init.session(), new ContextMono<>(result, op.context));
    } catch (Throwable t) {
      SafeHooks.failed("mcp server initialize", t);
      op.end(null, null, false, null);
      return returned;
    }
  }

  /** A streamable server transport's {@code sendMessage}: the response of the request being handled here ends its span. */
  public static void sending(Object message) {
    try {
      if (!(message instanceof McpSchema.JSONRPCResponse)) return;
      McpOperation op = McpOperation.current(Context.current());
      if (op != null && op.server) response(op, (McpSchema.JSONRPCResponse) message, null);
    } catch (Throwable t) {
      SafeHooks.failed("mcp server message", t);
    }
  }
}
