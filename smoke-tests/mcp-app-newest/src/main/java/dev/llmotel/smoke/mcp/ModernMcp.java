package dev.llmotel.smoke.mcp;

import dev.llmotel.smoke.support.ChildJvm;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpClientTransport;
import io.modelcontextprotocol.modern.client.transport.StdioMcpClientTransport;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.modern.server.transport.StdioMcpTransport;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The MCP Java SDK's second API ({@code io.modelcontextprotocol.modern}, 2.2 on; only the newest app
 * has it): a stateless client and server, each request carrying its protocol version and client
 * information in {@code _meta}, no initialize and no session. The same tools as {@link McpSmokeServer}
 * ({@code echo}, with an app span "lookup weather" in its handler; {@code fail}, a result that says
 * isError), over stdio and over HTTP.
 */
public final class ModernMcp {
  private ModernMcp() {}

  /**
   * A client scenario: {@code mcp-modern-stdio} (echo, fail, an unknown tool), {@code mcp-modern-http}
   * (echo, then fail through the async client, on the same transport), {@code mcp-modern-parallel} (echo from
   * eight threads started together).
   */
  public static String run(String scenario) throws Exception {
    switch (scenario) {
      case "mcp-modern-stdio":
        return stdio(client -> {
          String echoed = call(client, "echo", "hello over modern stdio");
          String failed = call(client, "fail", "x");
          String unknown;
          try {
            unknown = call(client, "no_such_tool", "x");
          } catch (RuntimeException e) {
            unknown = "error " + e.getClass().getSimpleName();
          }
          return echoed + " | " + failed + " | " + unknown;
        });
      case "mcp-modern-parallel":
        // Eight threads started together, each calling the tool through the same client.
        return stdio(client -> {
          int threads = 8;
          java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
          java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
          try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
              String text = "p" + i;
              io.opentelemetry.context.Context caller = io.opentelemetry.context.Context.current();
              answers.add(pool.submit(caller.wrap(() -> {
                start.await(30, TimeUnit.SECONDS);
                return call(client, "echo", text);
              })));
            }
            java.util.Set<String> distinct = new java.util.TreeSet<>();
            for (java.util.concurrent.Future<String> answer : answers) distinct.add(answer.get(60, TimeUnit.SECONDS));
            return distinct.size() + " distinct answers";
          } finally {
            pool.shutdownNow();
          }
        });
      case "mcp-modern-http":
        return http((client, transport) -> {
          String echoed = call(client, "echo", "hello over modern http");
          McpSchema.CallToolResult failed = McpClient.async(transport).jsonMapper(McpJsonDefaults.getMapper())
              .clientInfo(McpSchema.Implementation.builder("smoke-mcp-client", "1.0.0").build()).build()
              .tool("fail").arguments(Map.of("text", "x")).call().block(Duration.ofSeconds(30));
          return echoed + " | async isError=" + failed.isError();
        });
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  interface Session {
    String run(McpSyncClient client) throws Exception;
  }

  interface HttpSession {
    String run(McpSyncClient client, McpClientTransport transport) throws Exception;
  }

  static String call(McpSyncClient client, String tool, String text) {
    McpSchema.CallToolResult r = client.tool(tool).arguments(Map.of("text", text)).call();
    StringBuilder out = new StringBuilder("isError=" + Boolean.TRUE.equals(r.isError()));
    for (McpSchema.Content c : r.content()) {
      if (c instanceof McpSchema.TextContent) out.append(' ').append(((McpSchema.TextContent) c).text());
    }
    return out.toString();
  }

  static String stdio(Session session) throws Exception {
    List<String> command = ChildJvm.command(System.getProperty("java.class.path"), McpSmokeServer.class.getName(),
        "modern-stdio");
    ServerParameters params = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
    try (StdioMcpClientTransport transport = StdioMcpClientTransport.builder(params)
        .jsonMapper(McpJsonDefaults.getMapper()).start()) {
      return withClient(transport, session);
    } finally {
      ChildJvm.endChildren(); // SIGTERM: the server's agent flushes its spans from its shutdown hook
    }
  }

  static String http(HttpSession session) throws Exception {
    Process server = new ProcessBuilder(ChildJvm.command(System.getProperty("java.class.path"),
        McpSmokeServer.class.getName(), "modern-http")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String port = null;
      for (String line; port == null && (line = out.readLine()) != null; ) {
        if (line.startsWith("MCP-PORT ")) port = line.substring("MCP-PORT ".length()).trim();
      }
      if (port == null) throw new IllegalStateException("the MCP server did not start");
      McpClientTransport transport = HttpClientMcpTransport.builder("http://127.0.0.1:" + port + "/mcp")
          .jsonMapper(McpJsonDefaults.getMapper()).build();
      return withClient(transport, client -> session.run(client, transport));
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  static String withClient(McpClientTransport transport, Session session) throws Exception {
    McpSyncClient client = McpClient.sync(transport).jsonMapper(McpJsonDefaults.getMapper())
        .clientInfo(McpSchema.Implementation.builder("smoke-mcp-client", "1.0.0").build())
        .callTimeout(Duration.ofSeconds(30)).build();
    client.tools().list();
    return session.run(client);
  }

  /** The server, {@code modern-stdio} or {@code modern-http} (prints "MCP-PORT n" once it listens). */
  public static void serve(String mode) throws Exception {
    McpJsonMapper json = McpJsonDefaults.getMapper();
    String schema = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}";
    McpSyncTool echo = McpSyncTool.of(McpSchema.Tool.builder("echo", json, schema).description("Echoes text").build(),
        (McpRequestContext context, McpSchema.CallToolRequest request) -> {
          Span lookup = GlobalOpenTelemetry.getTracer("smoke-mcp-server").spanBuilder("lookup weather").startSpan();
          lookup.end();
          return McpSyncResponse.result(McpSchema.CallToolResult.builder()
              .addContent(McpSchema.TextContent.builder("echo: " + request.arguments().get("text")).build())
              .isError(false).build());
        });
    McpSyncTool fail = McpSyncTool.of(McpSchema.Tool.builder("fail", json, schema).description("Always fails").build(),
        (context, request) -> McpSyncResponse.result(McpSchema.CallToolResult.builder()
            .addContent(McpSchema.TextContent.builder("the backend is down").build()).isError(true).build()));
    List<McpSyncTool> tools = List.of(echo, fail);
    McpSyncToolRepository repository = new McpSyncToolRepository() {
      @Override
      public ToolsPage list(McpRequestContext context, String cursor) {
        return ToolsPage.of(tools.stream().map(McpSyncTool::definition).toList());
      }

      @Override
      public McpSyncTool find(McpRequestContext context, String name) {
        return tools.stream().filter(t -> t.definition().name().equals(name)).findFirst().orElse(null);
      }
    };
    McpServer server = McpServer.builder().serverInfo(McpSchema.Implementation.builder("smoke-mcp-server", "1.0.0").build())
        .jsonMapper(json).feature(ToolsFeature.ofSync(repository)).build();
    if ("modern-http".equals(mode)) {
      HttpServletMcpTransport servlet = HttpServletMcpTransport.builder(server).jsonMapper(json).endpoint("/mcp").build();
      McpSmokeServer.serveHttp(servlet);
    } else {
      new StdioMcpTransport(server, json).start().block();
    }
    Thread.currentThread().join();
  }
}
