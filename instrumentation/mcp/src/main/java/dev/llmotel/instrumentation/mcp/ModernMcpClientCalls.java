package dev.llmotel.instrumentation.mcp;

import dev.llmotel.core.AgentInstrumenter;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.faults.ToolFault;
import dev.llmotel.semconv.McpAttributes;
import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.client.transport.McpTransportRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The client of the SDK's second API ({@code io.modelcontextprotocol.modern}, 2.2 on), which has no
 * session and no initialize: every request carries its protocol version in its {@code _meta}. The
 * advice on its request sender's {@code send}, the one method each JSON-RPC request of that client
 * goes through, calls {@link #start} and {@link #end}: the request's CLIENT span, the trace context
 * added to the request's {@code _meta}, a drill's tool fault, and the span ended with the result
 * (which this API hands over as the decoded JSON, a map). The transport's {@code exchange} gives the
 * request's id and protocol version ({@link #exchanging}). Every method is safe.
 */
public final class ModernMcpClientCalls {
  private ModernMcpClientCalls() {}

  static final class Started {
    final McpOperation op;
    final Map<String, Object> meta;
    final McpToolFaults fault;

    Started(McpOperation op, Map<String, Object> meta, McpToolFaults fault) {
      this.op = op;
      this.meta = meta;
      this.fault = fault;
    }
  }

  /**
   * At {@code send}'s start ({@code name}: the tool's, prompt's or resource's, as the sender names the
   * request; {@code meta}: the app's {@code _meta} entries): the operation, or null.
   */
  @SuppressWarnings("unchecked")
  public static Object start(Object transport, String method, String name, Object meta) {
    try {
      if (method == null) return null;
      SafeHooks.checkpoint("start");
      Context parent = Context.current();
      boolean toolCall = McpAttributes.TOOLS_CALL.equals(method);
      Span frameworkTool = toolCall && AgentInstrumenter.currentTool(parent) != null ? Span.fromContext(parent) : null;
      String target = toolCall || McpAttributes.PROMPTS_GET.equals(method) ? name : null;
      McpOperation op = McpOperation.start(false, parent, method, target, McpSchemaAccess.networkTransport(transport),
          frameworkTool, null);
      McpToolFaults fault = McpToolFaults.decide(op, parent);
      Map<String, Object> sent = McpMeta.metaWithContext(meta instanceof Map ? (Map<String, Object>) meta : null,
          op.context);
      return new Started(op, sent, fault);
    } catch (Throwable t) {
      SafeHooks.failed("mcp client request", t);
      return null;
    }
  }

  /** The {@code _meta} entries {@code send} sends: the copy carrying the trace context, else the app's. */
  public static Object meta(Object started, Object meta) {
    return started instanceof Started ? ((Started) started).meta : meta;
  }

  /** At {@code send}'s end: the Mono the client gets, which ends the span (and applies a drill's fault). */
  @SuppressWarnings("unchecked")
  public static Object end(Object started, Object returned, Throwable thrown) {
    if (!(started instanceof Started)) return returned;
    Started s = (Started) started;
    if (thrown != null || !(returned instanceof Mono)) {
      ended(s, null, thrown);
      return returned;
    }
    try {
      Mono<Object> mono = (Mono<Object>) returned;
      if (s.fault != null) {
        // A failing tool, as MCP reports one: a result that says isError, with the failure's message.
        mono = s.fault.apply(mono, message -> textResult(message, true), ModernMcpClientCalls::replaced);
      }
      mono = mono.doOnSuccess(result -> ended(s, result, null))
          .doOnError(error -> ended(s, null, error))
          .doOnCancel(() -> ended(s, null, null));
      return new ContextMono<>(mono, s.op.context);
    } catch (Throwable t) {
      SafeHooks.failed("mcp client response", t);
      s.op.end(null, null, false, null);
      return returned;
    }
  }

  /**
   * Any transport's {@code exchange} of a request (each round of a multi-round call, and a retry with
   * another protocol version, goes through {@code send} again or here): the id the server answers to and
   * the protocol version the request claims.
   */
  public static void exchanging(Object request) {
    try {
      if (!(request instanceof McpTransportRequest)) return;
      McpOperation op = McpOperation.current(Context.current());
      if (op == null || op.server) return;
      McpTransportRequest r = (McpTransportRequest) request;
      JsonRpc.JSONRPCRequest message = r.message();
      if (message != null) op.requestId(message.id());
      op.put(McpAttributes.MCP_PROTOCOL_VERSION, r.protocolVersion());
    } catch (Throwable t) {
      SafeHooks.failed("mcp client message", t);
    }
  }

  private static void ended(Started s, Object result, Throwable error) {
    try {
      SafeHooks.checkpoint("response");
      boolean toolError = McpSchemaAccess.mapSaysError(result);
      if (s.fault != null) s.fault.report(s.op, error != null || toolError);
      s.op.end(errorCode(error), null, toolError, error);
    } catch (Throwable t) {
      SafeHooks.failed("mcp client response", t);
      s.op.end(null, null, false, error); // the span still ends
    }
  }

  /** The JSON-RPC code of this API's McpException (also wrapped, as a blocking client may rethrow it), or null. */
  static Integer errorCode(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof McpException && ((McpException) t).error() != null) return ((McpException) t).error().code();
    }
    return null;
  }

  /** A tool result, as the decoded JSON this API's sender returns: one text content. */
  private static Map<String, Object> textResult(String text, boolean isError) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("type", "text");
    content.put("text", text);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("content", Collections.singletonList(content));
    result.put("isError", isError);
    return result;
  }

  /** A tool result replaced, or with a payload appended: its text contents joined, then the fault's text. */
  private static Object replaced(ToolFault fault, Object result) {
    if (!(result instanceof Map)) return result;
    Object content = ((Map<?, ?>) result).get("content");
    List<String> texts = new ArrayList<>();
    if (content instanceof List) {
      for (Object c : (List<?>) content) {
        Object text = c instanceof Map ? ((Map<?, ?>) c).get("text") : null;
        if (text instanceof String) texts.add((String) text);
      }
    }
    return textResult(String.valueOf(fault.result(String.join("\n", texts))), false);
  }
}
