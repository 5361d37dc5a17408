package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.Accessors;
import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.semconv.GenAiValues;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.content.Media;
import org.springframework.ai.content.MediaContent;
import org.springframework.ai.model.tool.StructuredOutputChatOptions;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.MimeType;

/**
 * Maps Spring AI's Prompt and ChatResponse, the provider-neutral types every chat model module
 * speaks, onto the shared call model. Uses only accessors present from 1.1 to 2.0.
 */
final class ChatMapper {
  static LlmCall request(ChatModelObservationContext ai) {
    LlmCall call = new LlmCall(SpringAiProviders.of(ai), GenAiValues.OPERATION_CHAT);
    try {
      Prompt prompt = ai.getRequest();
      ChatOptions options = prompt.getOptions();
      if (options != null) {
        call.request().requestModel(options.getModel());
        call.request().temperature(options.getTemperature());
        call.request().topP(options.getTopP());
        call.request().maxTokens(options.getMaxTokens() == null ? null : options.getMaxTokens().longValue());
        call.request().frequencyPenalty(options.getFrequencyPenalty());
        call.request().presencePenalty(options.getPresencePenalty());
        List<String> stop = options.getStopSequences();
        if (stop != null && !stop.isEmpty()) call.request().stopSequences(stop);
        if (options instanceof ToolCallingChatOptions) mapTools(call, (ToolCallingChatOptions) options);
      }
      for (Message message : prompt.getInstructions()) mapMessage(call, message);
      if (options != null) outputFormat(call, options);
    } catch (Throwable t) {
      SafeHooks.failed("spring ai chat request mapping", t);
    }
    if (isStreaming(ai)) call.request().streaming(true);
    return call;
  }

  /**
   * The tools offered to the model, as the ChatClient and the model module put them on the request's
   * options: part of what identifies the prompt template, and of the input tokens.
   */
  private static void mapTools(LlmCall call, ToolCallingChatOptions options) {
    List<ToolCallback> callbacks = options.getToolCallbacks();
    for (ToolCallback callback : callbacks == null ? List.<ToolCallback>of() : callbacks) {
      ToolDefinition tool = callback == null ? null : callback.getToolDefinition();
      if (tool == null || tool.name() == null) continue;
      call.request().toolDefinitions().add(new dev.llmotel.core.ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, tool.name(),
          tool.description(), tool.inputSchema()));
    }
    // 1.1 also offers tools by name, resolved by the model (2.0 has no names): offered, their schema unknown.
    Object names = TOOL_NAMES.call(options);
    if (!(names instanceof Collection)) return;
    for (Object name : (Collection<?>) names) {
      if (name instanceof String && !isDefined(call, (String) name)) {
        call.request().toolDefinitions().add(new dev.llmotel.core.ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION,
            (String) name, null, null));
      }
    }
  }

  private static boolean isDefined(LlmCall call, String tool) {
    for (dev.llmotel.core.ToolDefinition defined : call.request().toolDefinitions()) {
      if (tool.equals(defined.name)) return true;
    }
    return false;
  }

  /**
   * The structure the answer must have. OpenAI's options carry a response format: JSON_OBJECT, or
   * JSON_SCHEMA with the schema as a map (1.1) or as text (2.0), typed differently, so read by name.
   * Other providers' (Anthropic's) give their schema as StructuredOutputChatOptions, in both lines.
   * BeanOutputConverter's format instructions are only prompt text, not a declared structure.
   */
  private static void outputFormat(LlmCall call, ChatOptions options) {
    if (!RESPONSE_FORMAT.has(options)) {
      // Not asked of options with a response format: 1.1's OpenAI options throw here without one.
      if (options instanceof StructuredOutputChatOptions) {
        String schema = schemaText(((StructuredOutputChatOptions) options).getOutputSchema());
        if (schema != null) call.request().outputType(GenAiValues.OUTPUT_TYPE_JSON).outputContract(OutputContract.schema(schema));
      }
      return;
    }
    Object format = RESPONSE_FORMAT.call(options);
    String type = String.valueOf(Accessors.call(format, "getType")).toLowerCase(Locale.ROOT);
    if (type.equals("json_schema")) {
      call.request().outputType(GenAiValues.OUTPUT_TYPE_JSON)
          .outputContract(OutputContract.schema(schemaText(Accessors.call(format, "getJsonSchema"))));
    } else if (type.equals("json_object")) {
      call.request().outputType(GenAiValues.OUTPUT_TYPE_JSON).outputContract(OutputContract.jsonObject());
    } else if (type.equals("text")) {
      call.request().outputType(GenAiValues.OUTPUT_TYPE_TEXT);
    }
  }

  /** A JSON Schema's text: as given (2.0), or from 1.1's JsonSchema holding it as a map; null for none. */
  private static String schemaText(Object schema) {
    if (schema != null && !(schema instanceof String)) schema = Accessors.call(schema, "getSchema");
    if (schema instanceof Map) return Json.write(schema);
    return schema instanceof String && !((String) schema).isEmpty() ? (String) schema : null;
  }

  private static void mapMessage(LlmCall call, Message message) {
    MessageType type = message.getMessageType();
    if (type == MessageType.SYSTEM) {
      call.request().systemInstructions().add(LlmMessage.Part.text(message.getText()));
    } else if (type == MessageType.USER) {
      LlmMessage out = new LlmMessage("user").add(LlmMessage.Part.text(message.getText()));
      if (message instanceof MediaContent) {
        List<Media> media = ((MediaContent) message).getMedia();
        if (media != null) {
          for (Media m : media) out.add(media(m));
        }
      }
      call.request().inputMessages().add(out);
    } else if (message instanceof AssistantMessage) {
      call.request().inputMessages().add(assistant((AssistantMessage) message, null));
    } else if (message instanceof ToolResponseMessage) {
      LlmMessage out = new LlmMessage("tool");
      for (ToolResponseMessage.ToolResponse r : ((ToolResponseMessage) message).getResponses()) {
        out.add(LlmMessage.Part.toolCallResponse(r.id(), r.responseData()));
      }
      call.request().inputMessages().add(out);
    }
  }

  /**
   * A user message's media, by what identifies it: bytes by their SHA-256 and size (read in place,
   * never kept), a {@code data:} URL likewise, any other URL as such; the modality from the MIME type
   * (a document when it is neither image, audio nor video).
   */
  static LlmMessage.Part media(Media media) {
    if (media == null) return null;
    MimeType mime = media.getMimeType();
    String mimeType = mime == null ? null : mime.getType() + "/" + mime.getSubtype();
    String modality = MediaParts.modalityOf(mimeType);
    if (modality == null) modality = LlmMessage.Part.MODALITY_DOCUMENT;
    Object data = media.getData();
    if (data instanceof byte[]) return MediaParts.inlineBytes(modality, mimeType, (byte[]) data);
    if (data instanceof String) return MediaParts.fromUrl(modality, mimeType, (String) data);
    return LlmMessage.Part.blob(modality, mimeType, null, -1);
  }

  private static LlmMessage assistant(AssistantMessage message, String finishReason) {
    LlmMessage out = new LlmMessage("assistant").finishReason(finishReason);
    String text = message.getText();
    if (text != null && !text.isEmpty()) out.add(LlmMessage.Part.text(text));
    for (AssistantMessage.ToolCall tc : message.getToolCalls()) {
      out.add(LlmMessage.Part.toolCall(tc.id(), tc.name(), tc.arguments()));
    }
    return out;
  }

  static void response(LlmCall call, Object response) {
    response(call, response, false);
  }

  /** The response of a call whose stream carried a follow-up call (Spring AI 1.1 tool loops). */
  static void responseOfCallWithFollowUp(LlmCall call, Object response) {
    response(call, response, true);
  }

  private static void response(LlmCall call, Object response, boolean nestsFollowUp) {
    ChatResponse r = (ChatResponse) response;
    try {
      ChatResponseMetadata metadata = r.getMetadata();
      if (metadata != null) {
        String id = metadata.getId();
        if (id != null && !id.isEmpty()) call.response().responseId(id);
        String model = metadata.getModel();
        if (model != null && !model.isEmpty()) call.response().responseModel(model);
        // The call's own usage, not the loop's running total Spring AI reports after a tool round.
        // EmptyUsage (0 and 0) means the provider sent no usage: recorded as unknown, not as zero.
        Usage usage = CallUsage.own(metadata.getUsage(), nestsFollowUp);
        if (usage != null) {
          call.response().usage(toLong(usage.getPromptTokens()), toLong(usage.getCompletionTokens()));
        }
      }
    } catch (Throwable t) {
      SafeHooks.failed("spring ai chat response metadata", t);
    }
    try {
      java.util.Set<String> reasons = new java.util.LinkedHashSet<>();
      List<Generation> generations = r.getResults();
      for (int i = 0; i < generations.size(); i++) {
        Generation g = generations.get(i);
        String finishReason = g.getMetadata() == null ? null : normalize(g.getMetadata().getFinishReason());
        // A Spring AI generation is not always a choice: 1.1's Anthropic model makes one per content
        // block of the one answer, each with the answer's stop reason. Each reason is recorded once.
        if (finishReason != null && reasons.add(finishReason)) call.response().addFinishReason(finishReason);
        AssistantMessage output = g.getOutput();
        if (output == null) continue;
        Map<String, Object> properties = output.getMetadata();
        if (properties != null) {
          Object refusal = properties.get("refusal"); // OpenAI's, "" when the model did not refuse
          call.response().modelRefused(refusal instanceof String && !((String) refusal).isEmpty());
        }
        // Anthropic's thinking block, a generation of its own beside the answer, marked by its
        // signature, is not the answer (a stream's aggregate is one generation: the answer).
        if (generations.size() == 1 || properties == null || !properties.containsKey("signature")) {
          call.response().answerText(i, output.getText());
        }
        for (AssistantMessage.ToolCall tc : output.getToolCalls()) {
          call.response().addToolCallId(tc.id());
          call.response().answerToolCall(tc.name(), tc.arguments());
        }
        call.response().addOutputMessage(assistant(output, finishReason));
      }
    } catch (Throwable t) {
      SafeHooks.failed("spring ai chat response generations", t);
    }
  }

  /** Spring AI passes the provider's finish reason through, in the provider's case ("STOP", "stop"). */
  static String normalize(String finishReason) {
    if (finishReason == null || finishReason.isEmpty()) return null;
    return finishReason.toLowerCase(Locale.ROOT);
  }

  /** What the options have in one line only, looked up once per options class. */
  private static final OptionalAccessor RESPONSE_FORMAT = new OptionalAccessor("getResponseFormat");
  private static final OptionalAccessor TOOL_NAMES = new OptionalAccessor("getToolNames");

  private static Long toLong(Integer v) {
    return v == null ? null : v.longValue();
  }

  /** 2.0 marks streamed calls on the context; 1.1 does not (the stream hook marks them there). */
  private static boolean isStreaming(ChatModelObservationContext ai) {
    try {
      Method m = ai.getClass().getMethod("isStreaming");
      return Boolean.TRUE.equals(m.invoke(ai));
    } catch (NoSuchMethodException e) {
      return false;
    } catch (Throwable t) {
      SafeHooks.failed("spring ai streaming flag", t);
      return false;
    }
  }

  private ChatMapper() {}
}
