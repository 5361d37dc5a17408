package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
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
    if (callbacks == null) return;
    for (ToolCallback callback : callbacks) {
      ToolDefinition tool = callback == null ? null : callback.getToolDefinition();
      if (tool == null || tool.name() == null) continue;
      call.request().toolDefinitions().add(new dev.llmotel.core.ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, tool.name(),
          tool.description(), tool.inputSchema()));
    }
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
      for (Generation g : r.getResults()) {
        String finishReason = g.getMetadata() == null ? null : normalize(g.getMetadata().getFinishReason());
        // A Spring AI generation is not always a choice: 1.1's Anthropic model makes one per content
        // block of the one answer, each with the answer's stop reason. Each reason is recorded once.
        if (finishReason != null && reasons.add(finishReason)) call.response().addFinishReason(finishReason);
        AssistantMessage output = g.getOutput();
        if (output == null) continue;
        for (AssistantMessage.ToolCall tc : output.getToolCalls()) call.response().addToolCallId(tc.id());
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
