package dev.llmotel.smoke.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The smoke tests' MCP server: tools {@code echo} (its answer, after an app span "lookup weather" in
 * the handler, which must nest under the server's span) and {@code fail} (a result that says
 * isError), over stdio ({@code stdio}) or streamable HTTP on a free port ({@code http}: prints
 * "MCP-PORT n" once it listens); {@code modern-stdio} and {@code modern-http} serve the same tools with
 * the SDK's second API ({@code ModernMcp}, newest app only).
 */
public class McpSmokeServer {
  public static void main(String[] args) throws Exception {
    // A server started by a client lives no longer than it: the SDK's stdio client closes the pipes but
    // leaves the process, and this one would wait forever.
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    if (args[0].startsWith("modern-")) {
      // The SDK's second API (2.2 on): only the newest app has it.
      Class.forName("dev.llmotel.smoke.mcp.ModernMcp").getMethod("serve", String.class).invoke(null, args[0]);
      return;
    }
    McpJsonMapper json = McpJsonDefaults.getMapper();
    String schema = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}";
    McpServerFeatures.SyncToolSpecification echo = McpServerFeatures.SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name("echo").description("Echoes text").inputSchema(json, schema).build())
        .callHandler((exchange, request) -> {
          Span lookup = GlobalOpenTelemetry.getTracer("smoke-mcp-server").spanBuilder("lookup weather").startSpan();
          lookup.end();
          return McpSchema.CallToolResult.builder().addTextContent("echo: " + request.arguments().get("text"))
              .isError(false).build();
        }).build();
    McpServerFeatures.SyncToolSpecification fail = McpServerFeatures.SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name("fail").description("Always fails").inputSchema(json, schema).build())
        .callHandler((exchange, request) -> McpSchema.CallToolResult.builder().addTextContent("the backend is down")
            .isError(true).build()).build();
    if ("http".equals(args[0])) {
      HttpServletStreamableServerTransportProvider provider = HttpServletStreamableServerTransportProvider.builder()
          .jsonMapper(json).mcpEndpoint("/mcp").build();
      McpServer.sync(provider).serverInfo("smoke-mcp-server", "1.0.0")
          .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build()).tools(echo, fail).build();
      serveHttp(provider);
      Thread.currentThread().join();
    } else {
      McpServer.sync(new StdioServerTransportProvider(json)).serverInfo("smoke-mcp-server", "1.0.0")
          .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build()).tools(echo, fail).build();
      Thread.currentThread().join(); // the stdio threads serve until the client ends the process
    }
  }

  /** Serves the servlet at /mcp on a free port (async, as the SDK's transports need) and prints "MCP-PORT n". */
  static void serveHttp(jakarta.servlet.Servlet servlet) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(java.nio.file.Files.createTempDirectory("mcp-tomcat").toString());
    tomcat.setPort(0);
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "mcp", servlet).setAsyncSupported(true);
    context.addServletMappingDecoded("/*", "mcp");
    tomcat.getConnector();
    tomcat.start();
    System.out.println("MCP-PORT " + tomcat.getConnector().getLocalPort());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        tomcat.stop();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
  }
}
