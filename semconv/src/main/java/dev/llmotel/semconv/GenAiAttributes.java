package dev.llmotel.semconv;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The OpenTelemetry GenAI semantic-convention attributes we emit, in their last released form
 * (gen_ai.provider.name, not the deprecated gen_ai.system). Defined here once rather than taken
 * from the incubating semconv artifact, whose names still move between releases.
 */
public final class GenAiAttributes {
  public static final AttributeKey<String> OPERATION_NAME = stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> PROVIDER_NAME = stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  public static final AttributeKey<Double> REQUEST_TEMPERATURE = doubleKey("gen_ai.request.temperature");
  public static final AttributeKey<Double> REQUEST_TOP_P = doubleKey("gen_ai.request.top_p");
  public static final AttributeKey<Long> REQUEST_MAX_TOKENS = longKey("gen_ai.request.max_tokens");
  public static final AttributeKey<Double> REQUEST_FREQUENCY_PENALTY =
      doubleKey("gen_ai.request.frequency_penalty");
  public static final AttributeKey<Double> REQUEST_PRESENCE_PENALTY =
      doubleKey("gen_ai.request.presence_penalty");
  public static final AttributeKey<List<String>> REQUEST_STOP_SEQUENCES =
      stringArrayKey("gen_ai.request.stop_sequences");
  public static final AttributeKey<Long> REQUEST_SEED = longKey("gen_ai.request.seed");
  public static final AttributeKey<Long> REQUEST_CHOICE_COUNT = longKey("gen_ai.request.choice.count");
  public static final AttributeKey<Boolean> REQUEST_STREAM = booleanKey("gen_ai.request.stream");
  public static final AttributeKey<List<String>> REQUEST_ENCODING_FORMATS =
      stringArrayKey("gen_ai.request.encoding_formats");
  public static final AttributeKey<String> OUTPUT_TYPE = stringKey("gen_ai.output.type");

  public static final AttributeKey<String> RESPONSE_ID = stringKey("gen_ai.response.id");
  public static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
  public static final AttributeKey<List<String>> RESPONSE_FINISH_REASONS =
      stringArrayKey("gen_ai.response.finish_reasons");
  public static final AttributeKey<Double> RESPONSE_TIME_TO_FIRST_CHUNK =
      doubleKey("gen_ai.response.time_to_first_chunk");

  public static final AttributeKey<Long> USAGE_INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<Long> USAGE_CACHE_READ_INPUT_TOKENS =
      longKey("gen_ai.usage.cache_read.input_tokens");
  /** Input tokens written to the provider's cache (formerly gen_ai.usage.cache_creation.input_tokens). */
  public static final AttributeKey<Long> USAGE_CACHE_WRITE_INPUT_TOKENS =
      longKey("gen_ai.usage.cache_write.input_tokens");
  public static final AttributeKey<Long> USAGE_REASONING_OUTPUT_TOKENS =
      longKey("gen_ai.usage.reasoning.output_tokens");

  public static final AttributeKey<Long> EMBEDDINGS_DIMENSION_COUNT =
      longKey("gen_ai.embeddings.dimension.count");
  public static final AttributeKey<String> CONVERSATION_ID = stringKey("gen_ai.conversation.id");
  public static final AttributeKey<String> TOKEN_TYPE = stringKey("gen_ai.token.type");

  // Agents and tools.
  public static final AttributeKey<String> AGENT_NAME = stringKey("gen_ai.agent.name");
  public static final AttributeKey<String> TOOL_NAME = stringKey("gen_ai.tool.name");
  public static final AttributeKey<String> TOOL_CALL_ID = stringKey("gen_ai.tool.call.id");
  public static final AttributeKey<String> TOOL_TYPE = stringKey("gen_ai.tool.type");
  /** Opt-in, like message content: the tool's arguments and result as the model and the tool saw them. */
  public static final AttributeKey<String> TOOL_CALL_ARGUMENTS = stringKey("gen_ai.tool.call.arguments");
  public static final AttributeKey<String> TOOL_CALL_RESULT = stringKey("gen_ai.tool.call.result");

  // Retrieval (RAG): the store the framework searched.
  public static final AttributeKey<String> DATA_SOURCE_ID = stringKey("gen_ai.data_source.id");
  public static final AttributeKey<Long> REQUEST_TOP_K = longKey("gen_ai.request.top_k");
  public static final AttributeKey<String> DB_SYSTEM_NAME = stringKey("db.system.name");

  // Opt-in content attributes: JSON strings in the semconv message schema.
  public static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
  public static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
  public static final AttributeKey<String> SYSTEM_INSTRUCTIONS =
      stringKey("gen_ai.system_instructions");
  public static final AttributeKey<String> TOOL_DEFINITIONS = stringKey("gen_ai.tool.definitions");

  // Evaluation results (the gen_ai.evaluation.result event), in the evaluated call's span context.
  public static final String EVENT_EVALUATION_RESULT = "gen_ai.evaluation.result";
  public static final AttributeKey<String> EVALUATION_NAME = stringKey("gen_ai.evaluation.name");
  public static final AttributeKey<Double> EVALUATION_SCORE_VALUE =
      AttributeKey.doubleKey("gen_ai.evaluation.score.value");
  public static final AttributeKey<String> EVALUATION_SCORE_LABEL = stringKey("gen_ai.evaluation.score.label");
  public static final AttributeKey<String> EVALUATION_EXPLANATION = stringKey("gen_ai.evaluation.explanation");

  // General semconv attributes used on GenAI spans.
  public static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");
  public static final AttributeKey<String> SERVER_ADDRESS = stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = longKey("server.port");
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      longKey("http.response.status_code");

  private GenAiAttributes() {}
}
