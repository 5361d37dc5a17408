package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.ProviderUsage;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Maps Converse and ConverseStream requests and responses of the AWS SDK's Bedrock Runtime client
 * onto the shared call model. The two requests share their fields, not a type, so the fields are
 * handed over one by one.
 */
final class ConverseMapper {
  static LlmCall request(String serverUrl, String modelId, List<Message> messages, List<SystemContentBlock> system,
      InferenceConfiguration inference, List<Tool> tools, boolean streaming) {
    LlmCall call = new LlmCall(GenAiValues.PROVIDER_AWS_BEDROCK, GenAiValues.OPERATION_CHAT);
    call.streaming(streaming);
    try {
      if (serverUrl != null) call.server(serverUrl);
      call.requestModel(modelId);
      if (inference != null) {
        call.maxTokens(inference.maxTokens() == null ? null : inference.maxTokens().longValue());
        call.temperature(decimal(inference.temperature()));
        call.topP(decimal(inference.topP()));
        if (!inference.stopSequences().isEmpty()) call.stopSequences(new ArrayList<>(inference.stopSequences()));
      }
      for (SystemContentBlock block : system) {
        if (block.text() != null) call.systemInstructions().add(LlmMessage.Part.text(block.text()));
      }
      for (Message message : messages) {
        LlmMessage out = new LlmMessage(message.roleAsString() == null ? "user" : message.roleAsString());
        for (ContentBlock block : message.content()) addBlock(out, block);
        call.inputMessages().add(out);
      }
      for (Tool tool : tools) {
        if (tool.toolSpec() == null) continue;
        call.toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, tool.toolSpec().name(),
            tool.toolSpec().description(),
            tool.toolSpec().inputSchema() != null && tool.toolSpec().inputSchema().json() != null
                ? tool.toolSpec().inputSchema().json().toString() : null));
      }
    } catch (Throwable t) {
      SafeHooks.failed("bedrock converse request mapping", t);
    }
    return call;
  }

  /** Floats widen with float noise (0.7f to 0.699999988); the decimal text is what the app wrote. */
  static Double decimal(Float v) {
    return v == null ? null : Double.valueOf(v.toString());
  }

  private static void addBlock(LlmMessage out, ContentBlock block) {
    if (block.text() != null) {
      out.add(LlmMessage.Part.text(block.text()));
    } else if (block.toolUse() != null) {
      ToolUseBlock use = block.toolUse();
      out.add(LlmMessage.Part.toolCall(use.toolUseId(), use.name(), use.input() == null ? null : use.input().toString()));
    } else if (block.toolResult() != null) {
      StringBuilder text = new StringBuilder();
      for (ToolResultContentBlock c : block.toolResult().content()) {
        if (text.length() > 0) text.append('\n');
        if (c.text() != null) text.append(c.text());
        else if (c.json() != null) text.append(c.json().toString());
      }
      out.add(LlmMessage.Part.toolCallResponse(block.toolResult().toolUseId(), text.toString()));
    }
  }

  static void response(LlmCall call, Object result) {
    if (!(result instanceof ConverseResponse)) return;
    ConverseResponse response = (ConverseResponse) result;
    String stop = response.stopReasonAsString();
    call.addFinishReason(stop);
    LlmMessage out = LlmOtelConfig.get().captureContent() ? new LlmMessage("assistant").finishReason(stop) : null;
    if (response.output() != null && response.output().message() != null) {
      for (ContentBlock block : response.output().message().content()) {
        if (block.toolUse() != null) call.addToolCallId(block.toolUse().toolUseId());
        if (out != null) addBlock(out, block);
      }
    }
    if (out != null) call.addOutputMessage(out);
    usage(call, response.usage());
  }

  /** Bedrock counts input as Anthropic's API does (see {@link ProviderUsage#inputExcludesCache}). */
  static void usage(LlmCall call, TokenUsage usage) {
    if (usage == null) return;
    ProviderUsage.inputExcludesCache(call, toLong(usage.inputTokens()), toLong(usage.cacheReadInputTokens()),
        toLong(usage.cacheWriteInputTokens()), toLong(usage.outputTokens()));
  }

  private static Long toLong(Integer v) {
    return v == null ? null : v.longValue();
  }

  private ConverseMapper() {}
}
