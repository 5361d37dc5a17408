package dev.llmotel.instrumentation.mcp;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * What this module reads of the SDK's types, in the ways that hold across its releases: the error
 * code's type changed (an int in 0.x, an Integer from 1.0), so it is read reflectively; private
 * fields (a streamable HTTP client's session) are read only where they exist.
 */
final class McpSchemaAccess {
  private McpSchemaAccess() {}

  /** A JSON-RPC error's code, or null. */
  static Integer code(Object jsonRpcError) {
    if (jsonRpcError == null) return null;
    try {
      Method code = jsonRpcError.getClass().getMethod("code");
      Object v = code.invoke(jsonRpcError);
      return v instanceof Number ? ((Number) v).intValue() : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  static String message(Object jsonRpcError) {
    if (jsonRpcError == null) return null;
    try {
      Object v = jsonRpcError.getClass().getMethod("message").invoke(jsonRpcError);
      return v == null ? null : v.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The JSON-RPC code of an McpError (also wrapped, as a blocking client rethrows it), or null. */
  static Integer errorCode(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof McpError) return code(((McpError) t).getJsonRpcError());
    }
    return null;
  }

  /** The tool's or prompt's name of a request's params (a typed request, or a map as a server reads it), or null. */
  static String target(String method, Object params) {
    if (!"tools/call".equals(method) && !"prompts/get".equals(method)) return null;
    if (params instanceof McpSchema.CallToolRequest) return ((McpSchema.CallToolRequest) params).name();
    if (params instanceof McpSchema.GetPromptRequest) return ((McpSchema.GetPromptRequest) params).name();
    if (params instanceof Map) {
      Object name = ((Map<?, ?>) params).get("name");
      return name == null ? null : name.toString();
    }
    return null;
  }

  /** Whether a tool result as decoded JSON (a map) says {@code isError}: the server's view, or the second API's client's. */
  static boolean mapSaysError(Object result) {
    return result instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) result).get("isError"));
  }

  /** {@code pipe} for a stdio transport, {@code tcp} for the HTTP ones. */
  static String networkTransport(Object transport) {
    if (transport == null) return null;
    return transport.getClass().getName().contains("Stdio") ? "pipe" : "tcp";
  }

  /** The session id a streamable HTTP client transport holds once initialized, or null. */
  static String clientSessionId(Object transport) {
    if (transport == null || !transport.getClass().getName().endsWith("StreamableHttpTransport")) return null;
    try {
      Field f = transport.getClass().getDeclaredField("activeSession");
      f.setAccessible(true);
      Object ref = f.get(transport);
      Object session = ref instanceof java.util.concurrent.atomic.AtomicReference
          ? ((java.util.concurrent.atomic.AtomicReference<?>) ref).get() : null;
      if (session == null) return null;
      Object id = session.getClass().getMethod("sessionId").invoke(session);
      return id instanceof Optional ? (String) ((Optional<?>) id).orElse(null) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // another transport layout: no session id
    }
  }

  /** The session a streamable server's response stream belongs to (its enclosing instance), or null. */
  static Object enclosingSession(Object stream) {
    try {
      Field f = stream.getClass().getDeclaredField("this$0");
      f.setAccessible(true);
      return f.get(stream);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
