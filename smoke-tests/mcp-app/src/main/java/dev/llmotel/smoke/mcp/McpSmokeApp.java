package dev.llmotel.smoke.mcp;

import dev.llmotel.smoke.support.ChildJvm;
import dev.llmotel.smoke.support.ScenarioLoop;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An MCP client app run under the real agent by the smoke tests. Each scenario starts an MCP server
 * ({@link McpSmokeServer}) in a JVM of its own, under the agent too (this JVM's agent flags, its
 * service name suffixed "-server"), over stdio or streamable HTTP, and calls its tools. Prints
 * "RESULT NAME ok|error DETAIL" (ScenarioLoop).
 */
public class McpSmokeApp {
  public static void main(String[] args) {
    ScenarioLoop.runAll(args, new McpSmokeApp()::run);
  }

  String run(String scenario) throws Exception {
    switch (scenario) {
      case "mcp-stdio":
        return stdio(client -> call(client, "echo", "hello over stdio"));
      case "mcp-stdio-errors":
        // A tool that fails (its result says isError), and a tool the server does not have (a JSON-RPC error).
        return stdio(client -> {
          String failed = call(client, "fail", "x");
          String unknown;
          try {
            unknown = call(client, "no_such_tool", "x");
          } catch (RuntimeException e) {
            unknown = "error " + e.getClass().getSimpleName();
          }
          return failed + " | " + unknown;
        });
      case "mcp-http":
        return http(client -> call(client, "echo", "hello over http"));
      case "mcp-fault":
        // A chaos drill's tool fault (tool_faults, by tool name and workflow) on an MCP tool call.
        return stdio(client -> call(client, "echo", "hello in a drill"));
      case "mcp-modern-stdio":
      case "mcp-modern-parallel":
      case "mcp-modern-http":
        // The SDK's second API (2.2 on): only the newest app has it, and the class that uses it.
        return (String) Class.forName("dev.llmotel.smoke.mcp.ModernMcp").getMethod("run", String.class)
            .invoke(null, scenario);
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  interface Session {
    String run(McpSyncClient client) throws Exception;
  }

  /** "isError=B text" of a tool call. */
  static String call(McpSyncClient client, String tool, String text) {
    McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(tool, Map.of("text", text)));
    StringBuilder out = new StringBuilder("isError=" + Boolean.TRUE.equals(r.isError()));
    for (McpSchema.Content c : r.content()) {
      if (c instanceof McpSchema.TextContent) out.append(' ').append(((McpSchema.TextContent) c).text());
    }
    return out.toString();
  }

  String stdio(Session session) throws Exception {
    List<String> command = ChildJvm.command(System.getProperty("java.class.path"), McpSmokeServer.class.getName(), "stdio");
    ServerParameters params = ServerParameters.builder(command.get(0)).args(command.subList(1, command.size())).build();
    try {
      return withClient(new StdioClientTransport(params, McpJsonDefaults.getMapper()), session);
    } finally {
      // The SDK's stdio client closes the server's pipes but not its process: end it (SIGTERM, so its agent
      // flushes the server's spans) and wait for it.
      ChildJvm.endChildren();
    }
  }

  String http(Session session) throws Exception {
    Process server = new ProcessBuilder(ChildJvm.command(System.getProperty("java.class.path"),
        McpSmokeServer.class.getName(), "http")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line;
      String port = null;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("MCP-PORT ")) {
          port = line.substring("MCP-PORT ".length()).trim();
          break;
        }
      }
      if (port == null) throw new IllegalStateException("the MCP server did not start");
      return withClient(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp").build(),
          session);
    } finally {
      server.destroy(); // SIGTERM: the server's agent flushes its spans from its shutdown hook
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  static String withClient(McpClientTransport transport, Session session) throws Exception {
    try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
        .clientInfo(new McpSchema.Implementation("smoke-mcp-client", "1.0.0")).build()) {
      client.initialize();
      client.listTools();
      String result = session.run(client);
      // As a well-behaved client ends its session: over streamable HTTP this deletes the server's session.
      client.closeGracefully();
      return result;
    }
  }
}
