package dev.llmotel.semconv;

/** Well-known values of GenAI semantic-convention attributes. */
public final class GenAiValues {
  // gen_ai.operation.name
  public static final String OPERATION_CHAT = "chat";
  public static final String OPERATION_EMBEDDINGS = "embeddings";
  public static final String OPERATION_TEXT_COMPLETION = "text_completion";
  public static final String OPERATION_GENERATE_CONTENT = "generate_content";
  public static final String OPERATION_EXECUTE_TOOL = "execute_tool";
  public static final String OPERATION_INVOKE_AGENT = "invoke_agent";
  public static final String OPERATION_RETRIEVAL = "retrieval";

  // gen_ai.tool.type
  public static final String TOOL_TYPE_FUNCTION = "function";

  // gen_ai.provider.name
  public static final String PROVIDER_OPENAI = "openai";
  public static final String PROVIDER_AZURE_OPENAI = "azure.ai.openai";
  public static final String PROVIDER_ANTHROPIC = "anthropic";
  public static final String PROVIDER_GCP_GEMINI = "gcp.gemini";
  public static final String PROVIDER_GCP_VERTEX_AI = "gcp.vertex_ai";
  public static final String PROVIDER_AWS_BEDROCK = "aws.bedrock";
  /**
   * llm-otel's own value (no convention value fits): a model run inside the application's process,
   * such as LangChain4j's ONNX embedding models. No provider, no network, no price: its calls cost 0.
   */
  public static final String PROVIDER_IN_PROCESS = "in_process";

  // gen_ai.token.type
  public static final String TOKEN_TYPE_INPUT = "input";
  public static final String TOKEN_TYPE_OUTPUT = "output";

  // gen_ai.output.type
  public static final String OUTPUT_TYPE_TEXT = "text";
  public static final String OUTPUT_TYPE_JSON = "json";
  public static final String OUTPUT_TYPE_SPEECH = "speech";

  // error.type when no exception class says more
  public static final String ERROR_TYPE_OTHER = "_OTHER";

  private GenAiValues() {}
}
