package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.McpAttributes;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.server.McpTransportResponse;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The server of the SDK's second API ({@code io.modelcontextprotocol.modern}, 2.2 on): each request its
 * {@code McpServer} handles ({@code handle} or {@code handleBlocking}, whatever the transport) is a
 * SERVER span, a child of the context its {@code params._meta} carries (linked to the transport's own
 * context, such as the HTTP server span), current while the feature handles it. The response is a
 * result, an error, or a stream of messages that ends with the response; each ends the span. The
 * transports mark the context they dispatch in with their kind ({@link #dispatching}), which the
 * request manager does not know. Every method is safe.
 */
public final class ModernMcpServerCalls {
  private ModernMcpServerCalls() {}

  /** The {@code _meta} key under which this API's requests carry their protocol version. */
  static final String PROTOCOL_VERSION_META = "io.modelcontextprotocol/protocolVersion";
  private static final ContextKey<String> TRANSPORT = ContextKey.named("llm-otel-mcp-server-transport");

  /**
   * A server transport's dispatch of one request begins (stdio's {@code dispatch}, the HTTP servlet's
   * {@code doPost}): the scope in which the request manager is called, marked with the transport's kind;
   * close it when the dispatch returns. Null when nothing was marked.
   */
  public static Object dispatching(Object transport) {
    try {
      return Context.current().with(TRANSPORT, McpSchemaAccess.networkTransport(transport)).makeCurrent();
    } catch (Throwable t) {
      SafeHooks.failed("mcp server transport", t);
      return null;
    }
  }

  /** The dispatch returned: its scope ends. */
  public static void dispatched(Object scope) {
    if (scope instanceof Scope) ((Scope) scope).close();
  }

  /** At {@code handle}'s start: the operation, or null. */
  public static Object start(Object request) {
    try {
      if (!(request instanceof JsonRpc.JSONRPCRequest)) return null;
      SafeHooks.checkpoint("start");
      JsonRpc.JSONRPCRequest r = (JsonRpc.JSONRPCRequest) request;
      McpOperation op = McpOperation.startServer(r.method(), r.params(), r.id(), Context.current().get(TRANSPORT));
      Object meta = r.params() instanceof Map ? ((Map<?, ?>) r.params()).get("_meta") : null;
      Object version = meta instanceof Map ? ((Map<?, ?>) meta).get(PROTOCOL_VERSION_META) : null;
      if (version instanceof String) op.put(McpAttributes.MCP_PROTOCOL_VERSION, (String) version);
      return op;
    } catch (Throwable t) {
      SafeHooks.failed("mcp server request", t);
      return null;
    }
  }

  /** At {@code handle}'s end: the Mono of the response, subscribed with the span current, which ends the span. */
  @SuppressWarnings("unchecked")
  public static Object end(Object started, Object returned, Throwable thrown) {
    if (!(started instanceof McpOperation)) return returned;
    McpOperation op = (McpOperation) started;
    if (thrown != null || !(returned instanceof Mono)) {
      op.end(null, null, false, thrown);
      return returned;
    }
    try {
      Mono<Object> mono = ((Mono<Object>) returned)
          .map(response -> responded(op, response))
          .doOnSuccess(response -> {
            if (response == null) op.end(null, null, false, null); // no response at all (a notification-like end)
          })
          .doOnError(error -> op.end(null, null, false, error))
          .doOnCancel(() -> op.end(null, null, false, null));
      return new ContextMono<>(mono, op.context);
    } catch (Throwable t) {
      SafeHooks.failed("mcp server response", t);
      op.end(null, null, false, null);
      return returned;
    }
  }

  /** The transport's response: a result or an error ends the span now, a stream when its response has gone out. */
  private static Object responded(McpOperation op, Object response) {
    try {
      SafeHooks.checkpoint("response");
      if (response instanceof McpTransportResponse.Result) {
        finished(op, ((McpTransportResponse.Result) response).response());
      } else if (response instanceof McpTransportResponse.Error) {
        finished(op, ((McpTransportResponse.Error) response).response());
      } else if (response instanceof McpTransportResponse.Streaming) {
        AtomicReference<JsonRpc.JSONRPCResponse> last = new AtomicReference<>();
        Flux<JsonRpc.JSONRPCMessage> messages = ((McpTransportResponse.Streaming) response).messages()
            .doOnNext(m -> {
              if (m instanceof JsonRpc.JSONRPCResponse) last.set((JsonRpc.JSONRPCResponse) m);
            })
            .doOnComplete(() -> finished(op, last.get()))
            .doOnError(error -> op.end(null, null, false, error))
            .doOnCancel(() -> op.end(null, null, false, null));
        return McpTransportResponse.streaming(new ContextFlux<>(messages, op.context));
      } else {
        op.end(null, null, false, null);
      }
    } catch (Throwable t) {
      SafeHooks.failed("mcp server response", t);
      op.end(null, null, false, null);
    }
    return response;
  }

  /** The JSON-RPC response of a traced request (null: none was seen): its error, or an isError tool result. */
  private static void finished(McpOperation op, JsonRpc.JSONRPCResponse response) {
    if (response == null) {
      op.end(null, null, false, null);
      return;
    }
    Object result = response.result();
    boolean toolError = result instanceof McpSchema.CallToolResult
        && Boolean.TRUE.equals(((McpSchema.CallToolResult) result).isError())
        || McpSchemaAccess.mapSaysError(result);
    JsonRpc.JSONRPCResponse.JSONRPCError error = response.error();
    op.end(error == null ? null : error.code(), error == null ? null : error.message(), toolError, null);
  }
}
