package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.ErrorTypes;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.GenAiValues;
import dev.llmotel.semconv.McpAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One MCP request, as the client sends it or the server handles it: its span
 * ({@code {mcp.method.name} {target}}, CLIENT or SERVER) and its duration metric. A client's
 * {@code tools/call} that an agent framework already traces as a tool (a Spring AI MCP tool callback)
 * gets no span of its own: the MCP attributes go onto the framework's tool span, as the conventions ask.
 */
final class McpOperation {
  private static final ContextKey<McpOperation> KEY = ContextKey.named("llm-otel-mcp-operation");
  /** JSON-RPC errors that are the client's mistake: a server does not mark its span as failed for them. */
  private static final Set<Integer> CLIENT_MISTAKES = new HashSet<>(Arrays.asList(-32700, -32600, -32601, -32602, -32002));

  final boolean server;
  final String method;
  /** The tool's or prompt's name, or null. */
  final String target;
  final Span span;
  /** Whether the span is this operation's own (else a framework's tool span it only adds to). */
  final boolean ownsSpan;
  final Context context;
  private final long startNanos = System.nanoTime();
  private final AttributesBuilder metricAttributes = Attributes.builder();
  private final AtomicBoolean ended = new AtomicBoolean();

  private McpOperation(boolean server, String method, String target, Span span, boolean ownsSpan, Context parent) {
    this.server = server;
    this.method = method;
    this.target = target;
    this.span = span;
    this.ownsSpan = ownsSpan;
    this.context = (ownsSpan ? parent.with(span) : parent).with(KEY, this);
  }

  /** The operation whose context this is, or null. */
  static McpOperation current(Context context) {
    return context == null ? null : context.get(KEY);
  }

  /**
   * Starts a request's span under {@code parent} ({@code link}: the ambient context a server also
   * links to), or, for a client's tool call inside a framework's tool span, adds to that one.
   */
  static McpOperation start(boolean server, Context parent, String method, String target, String transport,
      Span frameworkToolSpan, Context link) {
    boolean toolCall = McpAttributes.TOOLS_CALL.equals(method);
    Span span;
    boolean owns = frameworkToolSpan == null;
    if (owns) {
      SpanBuilder b = McpTelemetry.get().tracer.spanBuilder(target == null ? method : method + " " + target)
          .setParent(parent).setSpanKind(server ? SpanKind.SERVER : SpanKind.CLIENT);
      if (link != null && Span.fromContext(link).getSpanContext().isValid()
          && !Span.fromContext(link).getSpanContext().equals(Span.fromContext(parent).getSpanContext())) {
        b.addLink(Span.fromContext(link).getSpanContext());
      }
      span = b.startSpan();
    } else {
      span = frameworkToolSpan;
    }
    McpOperation op = new McpOperation(server, method, target, span, owns, parent);
    op.put(McpAttributes.MCP_METHOD_NAME, method);
    op.put(McpAttributes.NETWORK_TRANSPORT, transport);
    if (toolCall) {
      op.put(GenAiAttributes.OPERATION_NAME, GenAiValues.OPERATION_EXECUTE_TOOL);
      op.put(GenAiAttributes.TOOL_NAME, target);
    } else if (McpAttributes.PROMPTS_GET.equals(method)) {
      op.put(McpAttributes.GEN_AI_PROMPT_NAME, target);
    }
    return op;
  }

  /**
   * A request a server handles: its span a child of the context the request's {@code params._meta}
   * carries, linked to the ambient one (the transport's, such as an HTTP server span) when that differs.
   */
  static McpOperation startServer(String method, Object params, Object requestId, String transport) {
    Context ambient = Context.current();
    Context parent = McpMeta.extract(params, ambient);
    McpOperation op = start(true, parent, method, McpSchemaAccess.target(method, params), transport, null,
        parent == ambient ? null : ambient);
    op.requestId(requestId);
    return op;
  }

  /** An attribute of the span, and (when it is bounded) of the duration metric. */
  <T> void put(AttributeKey<T> key, T value) {
    if (value == null) return;
    span.setAttribute(key, value);
    if (key != McpAttributes.MCP_SESSION_ID && key != McpAttributes.JSONRPC_REQUEST_ID) metricAttributes.put(key, value);
  }

  void requestId(Object id) {
    if (id != null) span.setAttribute(McpAttributes.JSONRPC_REQUEST_ID, String.valueOf(id));
  }

  /**
   * The request ended: with a JSON-RPC error code (null for none), a tool result that says isError,
   * or an exception (an McpError carries its code). Ends the span it owns and records the duration, once.
   */
  void end(Integer errorCode, String errorMessage, boolean toolError, Throwable error) {
    if (!ended.compareAndSet(false, true)) return;
    try {
      SafeHooks.checkpoint("end");
      if (error != null && errorCode == null) errorCode = McpSchemaAccess.errorCode(error);
      if (errorCode != null) {
        String code = String.valueOf(errorCode);
        put(GenAiAttributes.ERROR_TYPE, code);
        put(McpAttributes.RPC_RESPONSE_STATUS_CODE, code);
        if (!server || !CLIENT_MISTAKES.contains(errorCode)) {
          span.setStatus(StatusCode.ERROR, errorMessage != null ? errorMessage : error != null ? error.getMessage() : null);
        }
      } else if (error != null) {
        put(GenAiAttributes.ERROR_TYPE, ErrorTypes.of(error));
        span.setStatus(StatusCode.ERROR, error.getMessage());
      } else if (toolError) {
        put(GenAiAttributes.ERROR_TYPE, McpAttributes.TOOL_ERROR);
        span.setStatus(StatusCode.ERROR);
      }
      if (error != null && ownsSpan) span.recordException(error);
      McpTelemetry t = McpTelemetry.get();
      (server ? t.serverDuration : t.clientDuration).record((System.nanoTime() - startNanos) / 1e9,
          metricAttributes.build(), context);
    } catch (Throwable t) {
      SafeHooks.failed("mcp span end", t);
    } finally {
      if (ownsSpan) span.end();
    }
  }

  long startNanos() {
    return startNanos;
  }
}
