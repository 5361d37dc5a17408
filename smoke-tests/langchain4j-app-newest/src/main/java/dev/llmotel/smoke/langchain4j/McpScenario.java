package dev.llmotel.smoke.langchain4j;

import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.McpTransport;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.llmotel.smoke.support.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The weather agent with its tools from an MCP server, through LangChain4j's own MCP client
 * (langchain4j-mcp, which only this app has): the smoke tests' MCP server, started in a JVM of its own
 * under the agent, from the class path the test names ({@code smoke.mcp.server-classpath}), over stdio
 * ({@link #run}) or streamable HTTP ({@link #runHttp}).
 */
public final class McpScenario {
  private McpScenario() {}

  public static String run(ChatModel model) throws Exception {
    List<String> command = ChildJvm.command(System.getProperty("smoke.mcp.server-classpath"),
        "dev.llmotel.smoke.mcp.McpSmokeServer", "stdio");
    return ask(model, new StdioMcpTransport.Builder().command(command).logEvents(false).build());
  }

  public static String runHttp(ChatModel model) throws Exception {
    Process server = new ProcessBuilder(ChildJvm.command(System.getProperty("smoke.mcp.server-classpath"),
        "dev.llmotel.smoke.mcp.McpSmokeServer", "http")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String port = null;
    for (String line; port == null && (line = out.readLine()) != null; ) {
      if (line.startsWith("MCP-PORT ")) port = line.substring("MCP-PORT ".length()).trim();
    }
    if (port == null) {
      ChildJvm.endChildren();
      throw new IllegalStateException("the MCP server did not start");
    }
    return ask(model, new StreamableHttpMcpTransport.Builder().url("http://127.0.0.1:" + port + "/mcp").build());
  }

  private static String ask(ChatModel model, McpTransport transport) throws Exception {
    McpClient client = DefaultMcpClient.builder().transport(transport).build();
    try {
      return AiServices.builder(LangChain4jSmokeApp.WeatherAssistant.class).chatModel(model)
          .toolProvider(McpToolProvider.builder().mcpClients(client).build()).build()
          .ask("What is the weather in Paris?");
    } finally {
      client.close();
      ChildJvm.endChildren();
    }
  }
}
