package dev.llmotel.instrumentation.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.audio.Audio;
import dev.langchain4j.data.image.Image;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.AudioContent;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.PdfFileContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.message.VideoContent;
import dev.langchain4j.data.pdf.PdfFile;
import dev.langchain4j.data.video.Video;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmotel.core.ConfiguredBaseUrl;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.semconv.GenAiValues;
import java.net.URI;

/**
 * Maps LangChain4j's ChatRequest and ChatResponse onto the shared call model. Uses only accessors
 * that are the same from 1.0.0 to the newest proven release.
 */
final class ChatMapper {
  static LlmCall request(Object model, ChatRequest request) {
    LlmCall call = new LlmCall(LangChain4jProviders.of(model), GenAiValues.OPERATION_CHAT);
    call.request().server(ConfiguredBaseUrl.of(model)); // server.address/port at start, from the model's client
    try {
      ChatRequestParameters p = request.parameters();
      // AI services often leave the model name and response format to the model's defaults; chat() merges them only later.
      ChatRequestParameters defaults = model instanceof ChatModel ? ((ChatModel) model).defaultRequestParameters()
          : model instanceof StreamingChatModel ? ((StreamingChatModel) model).defaultRequestParameters() : null;
      String modelName = p == null ? null : p.modelName();
      if (modelName == null && defaults != null) modelName = defaults.modelName();
      call.request().requestModel(modelName);
      ResponseFormat format = p == null ? null : p.responseFormat();
      responseFormat(call, format == null && defaults != null ? defaults.responseFormat() : format,
          StrictSchemas.json(model));
      if (p != null) {
        call.request().temperature(p.temperature());
        call.request().topP(p.topP());
        call.request().maxTokens(p.maxOutputTokens() == null ? null : p.maxOutputTokens().longValue());
        call.request().frequencyPenalty(p.frequencyPenalty());
        call.request().presencePenalty(p.presencePenalty());
        if (p.stopSequences() != null && !p.stopSequences().isEmpty()) call.request().stopSequences(p.stopSequences());
        if (p.toolSpecifications() != null) {
          for (ToolSpecification tool : p.toolSpecifications()) {
            // The parameters are an element tree, not JSON text: checked as their JSON Schema, not exported.
            call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, tool.name(),
                tool.description(), null, JsonSchemaElements.toJsonSchema(tool.parameters(), StrictSchemas.tools(model))));
          }
        }
      }
      for (ChatMessage message : request.messages()) mapMessage(call, message);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat request mapping", t);
    }
    return call;
  }

  /** The structure the answer must have: JSON fitting the format's schema, or any JSON object without one. */
  private static void responseFormat(LlmCall call, ResponseFormat format, boolean strict) {
    if (format == null || format.type() == null) return;
    if (format.type() != ResponseFormatType.JSON) {
      call.request().outputType(GenAiValues.OUTPUT_TYPE_TEXT);
      return;
    }
    JsonSchema schema = format.jsonSchema();
    call.request().outputType(GenAiValues.OUTPUT_TYPE_JSON).outputContract(
        OutputContract.schema(schema == null ? null : JsonSchemaElements.toJsonSchema(schema.rootElement(), strict)));
  }

  private static void mapMessage(LlmCall call, ChatMessage message) {
    if (message instanceof SystemMessage) {
      call.request().systemInstructions().add(LlmMessage.Part.text(((SystemMessage) message).text()));
    } else if (message instanceof UserMessage) {
      LlmMessage out = new LlmMessage("user");
      for (Content content : ((UserMessage) message).contents()) {
        if (content instanceof TextContent) {
          out.add(LlmMessage.Part.text(((TextContent) content).text()));
        } else {
          out.add(media(content));
        }
      }
      call.request().inputMessages().add(out);
    } else if (message instanceof AiMessage) {
      call.request().inputMessages().add(assistant((AiMessage) message, null));
    } else if (message instanceof ToolExecutionResultMessage) {
      ToolExecutionResultMessage result = (ToolExecutionResultMessage) message;
      call.request().inputMessages().add(new LlmMessage("tool").add(LlmMessage.Part.toolCallResponse(result.id(), result.text())));
    }
  }

  /**
   * An image, audio, video or PDF content of a user message, by what identifies it: base64 data by
   * its hash and decoded size (never kept), a {@code data:} URL likewise, any other URL as such.
   * Null for any other content.
   */
  static LlmMessage.Part media(Content content) {
    if (content instanceof ImageContent) {
      Image image = ((ImageContent) content).image();
      return image == null ? null : media(LlmMessage.Part.MODALITY_IMAGE, image.mimeType(), image.base64Data(), image.url());
    }
    if (content instanceof AudioContent) {
      Audio audio = ((AudioContent) content).audio();
      return audio == null ? null : media(LlmMessage.Part.MODALITY_AUDIO, audio.mimeType(), audio.base64Data(), audio.url());
    }
    if (content instanceof VideoContent) {
      Video video = ((VideoContent) content).video();
      return video == null ? null : media(LlmMessage.Part.MODALITY_VIDEO, video.mimeType(), video.base64Data(), video.url());
    }
    if (content instanceof PdfFileContent) {
      PdfFile pdf = ((PdfFileContent) content).pdfFile();
      return pdf == null ? null : media(LlmMessage.Part.MODALITY_DOCUMENT,
          pdf.mimeType() != null ? pdf.mimeType() : "application/pdf", pdf.base64Data(), pdf.url());
    }
    return null;
  }

  private static LlmMessage.Part media(String modality, String mimeType, String base64, URI url) {
    if (base64 != null) return MediaParts.inline(modality, mimeType, base64);
    if (url != null) return MediaParts.fromUrl(modality, mimeType, url.toString());
    return LlmMessage.Part.blob(modality, mimeType, null, -1);
  }

  private static LlmMessage assistant(AiMessage ai, String finishReason) {
    LlmMessage out = new LlmMessage("assistant").finishReason(finishReason);
    if (ai.text() != null) out.add(LlmMessage.Part.text(ai.text()));
    if (ai.hasToolExecutionRequests()) {
      for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
        out.add(LlmMessage.Part.toolCall(r.id(), r.name(), r.arguments()));
      }
    }
    return out;
  }

  /** A model method's return value, whatever its declared type: only a ChatResponse is mapped. */
  static void response(LlmCall call, Object response) {
    if (response instanceof ChatResponse) response(call, (ChatResponse) response);
  }

  /** Each part on its own: a provider that leaves one out loses only that part. */
  static void response(LlmCall call, ChatResponse response) {
    String finish = null;
    try {
      call.response().responseId(response.id());
      call.response().responseModel(response.modelName());
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat response metadata", t);
    }
    try {
      TokenUsage usage = response.tokenUsage();
      if (usage != null) {
        call.response().usage(usage.inputTokenCount() == null ? null : usage.inputTokenCount().longValue(),
            usage.outputTokenCount() == null ? null : usage.outputTokenCount().longValue());
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat response usage", t);
    }
    try {
      finish = finishReason(response.finishReason());
      call.response().addFinishReason(finish);
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat response finish reason", t);
    }
    try {
      AiMessage ai = response.aiMessage();
      if (ai != null) {
        call.response().answerText(0, ai.text());
        if (ai.hasToolExecutionRequests()) {
          for (ToolExecutionRequest r : ai.toolExecutionRequests()) {
            call.response().addToolCallId(r.id());
            call.response().answerToolCall(r.name(), r.arguments());
          }
        }
        if (LlmOtelConfig.get().captureContent()) call.response().addOutputMessage(assistant(ai, finish));
      }
    } catch (Throwable t) {
      SafeHooks.failed("langchain4j chat response message", t);
    }
  }

  /** LangChain4j's FinishReason as the GenAI semconv values (read by name: the enum may grow). */
  static String finishReason(FinishReason reason) {
    if (reason == null) return null;
    switch (reason.name()) {
      case "STOP": return "stop";
      case "LENGTH": return "length";
      case "TOOL_EXECUTION": return "tool_calls";
      case "CONTENT_FILTER": return "content_filter";
      default: return reason.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private ChatMapper() {}
}
