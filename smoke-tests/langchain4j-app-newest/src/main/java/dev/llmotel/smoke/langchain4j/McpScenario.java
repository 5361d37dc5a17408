package dev.llmotel.smoke.langchain4j;

import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.stdio.StdioMcpTransport;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.llmotel.smoke.support.ChildJvm;
import java.util.List;

/**
 * The weather agent with its tools from an MCP server, through LangChain4j's own MCP client
 * (langchain4j-mcp, which only this app has): the smoke tests' MCP server, started over stdio in a JVM of
 * its own under the agent, from the class path the test names ({@code smoke.mcp.server-classpath}).
 */
public final class McpScenario {
  private McpScenario() {}

  public static String run(ChatModel model) throws Exception {
    List<String> command = ChildJvm.command(System.getProperty("smoke.mcp.server-classpath"),
        "dev.llmotel.smoke.mcp.McpSmokeServer", "stdio");
    McpClient client = DefaultMcpClient.builder()
        .transport(new StdioMcpTransport.Builder().command(command).logEvents(false).build()).build();
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
