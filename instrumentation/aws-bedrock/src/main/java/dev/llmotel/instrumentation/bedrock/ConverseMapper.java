package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ProviderUsage;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.OutputContract;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.AudioBlock;
import software.amazon.awssdk.services.bedrockruntime.model.AudioSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.DocumentSource;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.VideoBlock;
import software.amazon.awssdk.services.bedrockruntime.model.VideoSource;

/**
 * Maps Converse and ConverseStream requests and responses of the AWS SDK's Bedrock Runtime client
 * onto the shared call model. The two requests share their fields, not a type, so the fields are
 * handed over one by one.
 */
final class ConverseMapper {
  static LlmCall request(String serverUrl, String modelId, List<Message> messages, List<SystemContentBlock> system,
      InferenceConfiguration inference, List<Tool> tools, Supplier<OutputConfig> outputConfig, boolean streaming) {
    LlmCall call = new LlmCall(GenAiValues.PROVIDER_AWS_BEDROCK, GenAiValues.OPERATION_CHAT);
    call.request().streaming(streaming);
    try {
      if (serverUrl != null) call.request().server(serverUrl);
      call.request().requestModel(modelId);
      if (inference != null) {
        call.request().maxTokens(inference.maxTokens() == null ? null : inference.maxTokens().longValue());
        call.request().temperature(decimal(inference.temperature()));
        call.request().topP(decimal(inference.topP()));
        if (!inference.stopSequences().isEmpty()) call.request().stopSequences(new ArrayList<>(inference.stopSequences()));
      }
      for (SystemContentBlock block : system) {
        if (block.text() != null) call.request().systemInstructions().add(LlmMessage.Part.text(block.text()));
      }
      for (Message message : messages) {
        LlmMessage out = new LlmMessage(message.roleAsString() == null ? "user" : message.roleAsString());
        for (ContentBlock block : message.content()) addBlock(out, block);
        call.request().inputMessages().add(out);
      }
      for (Tool tool : tools) {
        if (tool.toolSpec() == null) continue;
        call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, tool.toolSpec().name(),
            tool.toolSpec().description(),
            tool.toolSpec().inputSchema() == null ? null : json(tool.toolSpec().inputSchema().json())));
      }
      outputContract(call, outputConfig);
    } catch (Throwable t) {
      SafeHooks.failed("bedrock converse request mapping", t);
    }
    return call;
  }

  /**
   * Structured output: {@code outputConfig.textFormat} of type json_schema, a JSON Schema (as text)
   * the answer text must satisfy. Read through a supplier: releases older than the ones we test lack
   * the accessor, and lose only this.
   */
  private static void outputContract(LlmCall call, Supplier<OutputConfig> config) {
    try {
      OutputConfig output = config.get();
      OutputFormat format = output == null ? null : output.textFormat();
      if (format == null || !"json_schema".equals(format.typeAsString())) return;
      JsonSchemaDefinition schema = format.structure() == null ? null : format.structure().jsonSchema();
      call.request().outputType(GenAiValues.OUTPUT_TYPE_JSON);
      call.request().outputContract(OutputContract.schema(schema == null ? null : schema.schema()));
    } catch (LinkageError e) {
      // an SDK release without structured output
    }
  }

  /** JSON text of a document; null stays null. (Its toString() leaves strings unescaped, its unwrap() makes numbers strings.) */
  static String json(Document document) {
    return document == null ? null : Json.write(plain(document));
  }

  private static Object plain(Document document) {
    if (document.isMap()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, Document> e : document.asMap().entrySet()) map.put(e.getKey(), plain(e.getValue()));
      return map;
    }
    if (document.isList()) {
      List<Object> list = new ArrayList<>();
      for (Document d : document.asList()) list.add(plain(d));
      return list;
    }
    return document.isNumber() ? document.asNumber() : document.unwrap(); // else a string, a boolean or null
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
      out.add(LlmMessage.Part.toolCall(use.toolUseId(), use.name(), json(use.input())));
    } else if (block.toolResult() != null) {
      StringBuilder text = new StringBuilder();
      for (ToolResultContentBlock c : block.toolResult().content()) {
        if (text.length() > 0) text.append('\n');
        if (c.text() != null) text.append(c.text());
        else if (c.json() != null) text.append(c.json().toString());
      }
      out.add(LlmMessage.Part.toolCallResponse(block.toolResult().toolUseId(), text.toString()));
      // A tool may answer with images, documents or video: they are sent, so they count.
      for (ToolResultContentBlock c : block.toolResult().content()) {
        if (c.text() == null && c.json() == null) out.add(toolResultMedia(c));
      }
    } else {
      out.add(media(block));
    }
  }

  /**
   * An image, document, video or audio block, by what identifies it: inline bytes by their SHA-256
   * and size (the bytes are read in place, never copied or kept), an S3 object by its URI, a
   * document's text by its hash and length. Null for any other block. Each kind is read on its own:
   * releases older than the ones we test lack some (video and audio came later), and a missing
   * accessor loses only that kind.
   */
  static LlmMessage.Part media(ContentBlock block) {
    try {
      if (block.image() != null) return image(block.image());
    } catch (LinkageError e) {
      // an SDK release without image blocks
    }
    try {
      if (block.document() != null) return document(block.document());
    } catch (LinkageError e) {
      // an SDK release without document blocks
    }
    try {
      if (block.video() != null) return video(block.video());
    } catch (LinkageError e) {
      // an SDK release without video blocks
    }
    try {
      if (block.audio() != null) return audio(block.audio());
    } catch (LinkageError e) {
      // an SDK release without audio blocks
    }
    return null;
  }

  private static LlmMessage.Part toolResultMedia(ToolResultContentBlock c) {
    try {
      if (c.image() != null) return image(c.image());
      if (c.document() != null) return document(c.document());
      if (c.video() != null) return video(c.video());
    } catch (LinkageError e) {
      // an SDK release without media in tool results
    }
    return null;
  }

  private static LlmMessage.Part image(ImageBlock image) {
    String format = image.formatAsString();
    String mimeType = format == null ? null : "image/" + format.toLowerCase(Locale.ROOT);
    ImageSource source = image.source();
    if (source == null) return LlmMessage.Part.blob(LlmMessage.Part.MODALITY_IMAGE, mimeType, null, -1);
    if (source.bytes() != null) {
      return MediaParts.inlineBytes(LlmMessage.Part.MODALITY_IMAGE, mimeType, source.bytes().asByteArrayUnsafe());
    }
    return s3(LlmMessage.Part.MODALITY_IMAGE, mimeType, s3Uri(source));
  }

  private static String s3Uri(ImageSource source) {
    try {
      return source.s3Location() == null ? null : source.s3Location().uri();
    } catch (LinkageError e) {
      return null; // an SDK release without S3 image sources
    }
  }

  private static LlmMessage.Part document(DocumentBlock document) {
    String mimeType = documentMimeType(document.formatAsString());
    DocumentSource source = document.source();
    String modality = LlmMessage.Part.MODALITY_DOCUMENT;
    if (source == null) return LlmMessage.Part.blob(modality, mimeType, null, -1);
    if (source.bytes() != null) return MediaParts.inlineBytes(modality, mimeType, source.bytes().asByteArrayUnsafe());
    try {
      if (source.s3Location() != null) return s3(modality, mimeType, source.s3Location().uri());
      if (source.text() != null) {
        // A document given as text: hashed as its text, sized by its characters.
        return LlmMessage.Part.blob(modality, mimeType != null ? mimeType : "text/plain",
            MediaParts.sha256Hex(source.text()), source.text().length());
      }
      if (source.hasContent()) {
        long chars = 0;
        StringBuilder all = new StringBuilder();
        for (DocumentContentBlock b : source.content()) {
          if (b.text() != null) {
            all.append(b.text()).append('\n');
            chars += b.text().length();
          }
        }
        return LlmMessage.Part.blob(modality, "text/plain", MediaParts.sha256Hex(all.toString()), chars);
      }
    } catch (LinkageError e) {
      // an SDK release without these document sources
    }
    return LlmMessage.Part.blob(modality, mimeType, null, -1);
  }

  private static LlmMessage.Part video(VideoBlock video) {
    String format = video.formatAsString();
    String mimeType = format == null ? null : "three_gp".equals(format) ? "video/3gpp" : "video/" + format;
    VideoSource source = video.source();
    String modality = LlmMessage.Part.MODALITY_VIDEO;
    if (source == null) return LlmMessage.Part.blob(modality, mimeType, null, -1);
    if (source.bytes() != null) return MediaParts.inlineBytes(modality, mimeType, source.bytes().asByteArrayUnsafe());
    return s3(modality, mimeType, source.s3Location() == null ? null : source.s3Location().uri());
  }

  private static LlmMessage.Part audio(AudioBlock audio) {
    String format = audio.formatAsString();
    String mimeType = format == null ? null : "mp3".equals(format) ? "audio/mpeg" : "audio/" + format;
    AudioSource source = audio.source();
    String modality = LlmMessage.Part.MODALITY_AUDIO;
    if (source == null) return LlmMessage.Part.blob(modality, mimeType, null, -1);
    if (source.bytes() != null) return MediaParts.inlineBytes(modality, mimeType, source.bytes().asByteArrayUnsafe());
    return s3(modality, mimeType, source.s3Location() == null ? null : source.s3Location().uri());
  }

  private static LlmMessage.Part s3(String modality, String mimeType, String uri) {
    return uri == null ? LlmMessage.Part.blob(modality, mimeType, null, -1) : LlmMessage.Part.uri(modality, mimeType, uri);
  }

  /** The MIME type of Converse's document formats. */
  static String documentMimeType(String format) {
    if (format == null) return null;
    switch (format.toLowerCase(Locale.ROOT)) {
      case "pdf": return "application/pdf";
      case "csv": return "text/csv";
      case "doc": return "application/msword";
      case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
      case "xls": return "application/vnd.ms-excel";
      case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      case "html": return "text/html";
      case "txt": return "text/plain";
      case "md": return "text/markdown";
      default: return null;
    }
  }

  static void response(LlmCall call, Object result) {
    if (!(result instanceof ConverseResponse)) return;
    ConverseResponse response = (ConverseResponse) result;
    String stop = response.stopReasonAsString();
    call.response().addFinishReason(stop);
    LlmMessage out = LlmOtelConfig.get().captureContent() ? new LlmMessage("assistant").finishReason(stop) : null;
    if (response.output() != null && response.output().message() != null) {
      // Capture on or off: the answer's text and tool calls are checked against what the request declared.
      for (ContentBlock block : response.output().message().content()) {
        if (block.toolUse() != null) {
          call.response().addToolCallId(block.toolUse().toolUseId());
          call.response().answerToolCall(block.toolUse().name(), json(block.toolUse().input()));
        }
        call.response().answerText(0, block.text());
        if (out != null) addBlock(out, block);
      }
    }
    if (out != null) call.response().addOutputMessage(out);
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
