package dev.llmotel.instrumentation.langchain4j.mcp;

import dev.langchain4j.mcp.client.McpCallContext;
import dev.langchain4j.mcp.client.McpMetaSupplier;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.api.GlobalOpenTelemetry;
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

  private McpTraceContext(McpMetaSupplier app) {
    this.app = app;
  }

  /** At {@code DefaultMcpClient.Builder.build()}: the builder's meta supplier, wrapped once. */
  public static void install(Object builder) {
    try {
      Field field = builder.getClass().getDeclaredField("metaSupplier");
      field.setAccessible(true);
      Object current = field.get(builder);
      if (current instanceof McpTraceContext) return;
      field.set(builder, new McpTraceContext((McpMetaSupplier) current));
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j mcp client", t);
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
      GlobalOpenTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), meta,
          (carrier, key, value) -> {
            if (carrier != null) carrier.put(key, value);
          });
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j mcp client", t);
    }
    return meta;
  }
}
