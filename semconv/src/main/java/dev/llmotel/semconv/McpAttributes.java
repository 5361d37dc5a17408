package dev.llmotel.semconv;

import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes of the Model Context Protocol (MCP) conventions (in semantic-conventions-genai, docs/gen-ai/mcp.md). */
public final class McpAttributes {
  public static final AttributeKey<String> MCP_METHOD_NAME = stringKey("mcp.method.name");
  public static final AttributeKey<String> MCP_SESSION_ID = stringKey("mcp.session.id");
  public static final AttributeKey<String> MCP_PROTOCOL_VERSION = stringKey("mcp.protocol.version");
  public static final AttributeKey<String> JSONRPC_REQUEST_ID = stringKey("jsonrpc.request.id");
  /** The JSON-RPC error code of the response, as a string. */
  public static final AttributeKey<String> RPC_RESPONSE_STATUS_CODE = stringKey("rpc.response.status_code");
  /** {@code pipe} for stdio, {@code tcp} for HTTP. */
  public static final AttributeKey<String> NETWORK_TRANSPORT = stringKey("network.transport");
  public static final AttributeKey<String> GEN_AI_PROMPT_NAME = stringKey("gen_ai.prompt.name");

  public static final String TOOLS_CALL = "tools/call";
  public static final String PROMPTS_GET = "prompts/get";
  public static final String INITIALIZE = "initialize";
  /** error.type of a tools/call whose result says isError. */
  public static final String TOOL_ERROR = "tool_error";

  private McpAttributes() {}
}
