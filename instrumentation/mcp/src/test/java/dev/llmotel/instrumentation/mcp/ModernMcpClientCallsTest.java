package dev.llmotel.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.modelcontextprotocol.modern.JsonRpc;
import io.modelcontextprotocol.modern.McpException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The SDK's second API on the client: the JSON-RPC code of its exception, found also when the blocking client wraps it. */
class ModernMcpClientCallsTest {
  @Test
  void theJsonRpcCodeOfAnErrorAlsoWrapped() {
    McpException invalid = new McpException(new JsonRpc.JSONRPCResponse.JSONRPCError(-32602, "Unknown tool"));
    assertEquals(Integer.valueOf(-32602), ModernMcpClientCalls.errorCode(invalid));
    assertEquals(Integer.valueOf(-32602), ModernMcpClientCalls.errorCode(new CompletionException(invalid)));
    assertNull(ModernMcpClientCalls.errorCode(new IllegalStateException("transport closed")));
    assertNull(ModernMcpClientCalls.errorCode(null));
  }
}
