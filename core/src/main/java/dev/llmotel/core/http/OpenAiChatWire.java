package dev.llmotel.core.http;

import static dev.llmotel.core.http.JsonMaps.doubleValue;
import static dev.llmotel.core.http.JsonMaps.list;
import static dev.llmotel.core.http.JsonMaps.longValue;
import static dev.llmotel.core.http.JsonMaps.map;
import static dev.llmotel.core.http.JsonMaps.string;
import static dev.llmotel.core.http.JsonMaps.text;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.core.output.StreamedToolCalls;
import dev.llmotel.semconv.GenAiValues;
import java.util.Map;
import java.util.TreeMap;

/** OpenAI chat completions ({@code /chat/completions}), as OpenAI and every compatible server speak it. */
final class OpenAiChatWire implements WireFormat {
  static final OpenAiChatWire INSTANCE = new OpenAiChatWire();

  @Override
  public String name() {
    return "openai-chat";
  }

  @Override
  public String operation() {
    return GenAiValues.OPERATION_CHAT;
  }

  /**
   * Chat completions: {@code model} (or a deployment in the path) and {@code messages}, an array of
   * objects; legacy completions (also served here): {@code model} and {@code prompt}, a string or an
   * array.
   */
  @Override
  public boolean isRequest(Map<?, ?> body, String pathModel) {
    return JsonMaps.namesModel(body, pathModel)
        && (JsonMaps.isListOfObjects(body.get("messages")) || JsonMaps.isStringOrList(body.get("prompt")));
  }

  @Override
  public void request(LlmCall call, Map<?, ?> body, String pathModel) {
    String model = string(body.get("model"));
    call.request().requestModel(model != null ? model : pathModel);
    Long max = longValue(body.get("max_completion_tokens"));
    call.request().maxTokens(max != null ? max : longValue(body.get("max_tokens")));
    call.request().temperature(doubleValue(body.get("temperature")));
    call.request().topP(doubleValue(body.get("top_p")));
    call.request().frequencyPenalty(doubleValue(body.get("frequency_penalty")));
    call.request().presencePenalty(doubleValue(body.get("presence_penalty")));
    call.request().seed(longValue(body.get("seed")));
    Long n = longValue(body.get("n"));
    if (n != null && n != 1) call.request().choiceCount(n);
    call.request().stopSequences(JsonMaps.strings(body.get("stop")));
    for (Object m : list(body.get("messages"))) {
      Map<?, ?> message = map(m);
      String role = string(message.get("role"));
      if ("system".equals(role) || "developer".equals(role)) {
        String text = contentText(message.get("content"));
        if (text != null) call.request().systemInstructions().add(LlmMessage.Part.text(text));
        continue;
      }
      LlmMessage out = new LlmMessage(role == null ? "user" : role);
      if ("tool".equals(role)) {
        out.add(LlmMessage.Part.toolCallResponse(string(message.get("tool_call_id")),
            contentText(message.get("content"))));
      } else {
        addContent(out, message.get("content"));
      }
      for (Object tc : list(message.get("tool_calls"))) {
        Map<?, ?> function = map(map(tc).get("function"));
        out.add(LlmMessage.Part.toolCall(string(map(tc).get("id")), string(function.get("name")),
            string(function.get("arguments"))));
      }
      call.request().inputMessages().add(out);
    }
    DeclaredStructures.openAiChat(call, map(body.get("response_format")));
    DeclaredStructures.openAiModalities(call, body.get("modalities"));
    call.request().logprobsRequested(Boolean.TRUE.equals(body.get("logprobs")));
    for (Object t : list(body.get("tools"))) {
      Map<?, ?> function = map(map(t).get("function"));
      String name = string(function.get("name"));
      if (name != null) {
        call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, name,
            string(function.get("description")), text(function.get("parameters"))));
      }
    }
  }

  /** Each token's log-probability in a choice's {@code logprobs.content} (the app asked for them). */
  static void logprobs(LlmCall call, Object logprobs) {
    for (Object token : list(map(logprobs).get("content"))) {
      Double logprob = doubleValue(map(token).get("logprob"));
      if (logprob != null) call.response().tokenLogprob(logprob);
    }
  }

  /**
   * A message's content as parts, in order: a string is one text part; in a list of parts,
   * adjacent text parts are joined by a newline into one (as {@link #contentText} joins them) and
   * media parts ({@link #mediaPart}) keep their place.
   */
  static void addContent(LlmMessage out, Object content) {
    if (content instanceof String) {
      out.add(LlmMessage.Part.text((String) content));
      return;
    }
    StringBuilder sb = null;
    for (Object p : list(content)) {
      Map<?, ?> part = map(p);
      String text = string(part.get("text"));
      if (text != null) {
        if (sb == null) sb = new StringBuilder();
        else sb.append('\n');
        sb.append(text);
        continue;
      }
      LlmMessage.Part media = mediaPart(part);
      if (media == null) continue;
      if (sb != null) out.add(LlmMessage.Part.text(sb.toString()));
      sb = null;
      out.add(media);
    }
    if (sb != null) out.add(LlmMessage.Part.text(sb.toString()));
  }

  /**
   * A media part of a chat completions or Responses message, or null for any other part: an image
   * ({@code image_url}, an object with {@code url} in chat completions, a string in Responses'
   * {@code input_image}, or Responses' {@code file_id}), audio ({@code input_audio}: base64
   * {@code data} and its {@code format}), a file ({@code file} / {@code input_file}: inline
   * {@code file_data}, an uploaded {@code file_id}, or a {@code file_url}). A {@code data:} URL is
   * inline data; no bytes are kept.
   */
  static LlmMessage.Part mediaPart(Map<?, ?> part) {
    String type = string(part.get("type"));
    if (type == null) return null;
    switch (type) {
      case "image_url":
      case "input_image": {
        Object image = part.get("image_url");
        String url = image instanceof Map ? string(((Map<?, ?>) image).get("url")) : string(image);
        if (url != null) return MediaParts.fromUrl(LlmMessage.Part.MODALITY_IMAGE, null, url);
        String fileId = string(part.get("file_id"));
        return fileId == null ? null : LlmMessage.Part.file(LlmMessage.Part.MODALITY_IMAGE, null, fileId);
      }
      case "input_audio": {
        Map<?, ?> audio = map(part.get("input_audio"));
        String data = string(audio.get("data"));
        if (data == null) return null;
        return MediaParts.inline(LlmMessage.Part.MODALITY_AUDIO, audioMimeType(string(audio.get("format"))), data);
      }
      case "file":
      case "input_file": {
        Map<?, ?> file = "file".equals(type) ? map(part.get("file")) : part;
        String data = string(file.get("file_data"));
        if (data != null) {
          return MediaParts.isDataUri(data) ? MediaParts.fromDataUri(LlmMessage.Part.MODALITY_DOCUMENT, data)
              : MediaParts.inline(LlmMessage.Part.MODALITY_DOCUMENT, null, data);
        }
        String fileId = string(file.get("file_id"));
        if (fileId != null) return LlmMessage.Part.file(LlmMessage.Part.MODALITY_DOCUMENT, null, fileId);
        String url = string(file.get("file_url"));
        return url == null ? null : MediaParts.fromUrl(LlmMessage.Part.MODALITY_DOCUMENT, null, url);
      }
      default:
        return null;
    }
  }

  /** The MIME type of OpenAI's audio {@code format} names ({@code wav}, {@code mp3}). */
  static String audioMimeType(String format) {
    if (format == null || format.isEmpty()) return null;
    if ("mp3".equals(format)) return "audio/mpeg";
    return "audio/" + format;
  }

  /** A message's content: a string, or the text parts of a list of parts. */
  static String contentText(Object content) {
    if (content instanceof String) return (String) content;
    StringBuilder sb = null;
    for (Object p : list(content)) {
      String text = string(map(p).get("text"));
      if (text == null) continue;
      if (sb == null) sb = new StringBuilder();
      else sb.append('\n');
      sb.append(text);
    }
    return sb == null ? null : sb.toString();
  }

  @Override
  public boolean streamRequested(Map<?, ?> body, String path) {
    return Boolean.TRUE.equals(body.get("stream"));
  }

  @Override
  public void response(LlmCall call, Map<?, ?> body) {
    call.response().responseId(string(body.get("id")));
    call.response().responseModel(string(body.get("model")));
    boolean capture = LlmOtelConfig.get().captureContent();
    int index = 0;
    for (Object c : list(body.get("choices"))) {
      Map<?, ?> choice = map(c);
      String finish = string(choice.get("finish_reason"));
      call.response().addFinishReason(finish);
      Map<?, ?> message = map(choice.get("message"));
      LlmMessage out = capture ? new LlmMessage("assistant").finishReason(finish) : null;
      String content = string(message.get("content"));
      if (out != null && content != null) out.add(LlmMessage.Part.text(content));
      call.response().answerText(index++, content);
      call.response().modelRefused(string(message.get("refusal")) != null);
      logprobs(call, choice.get("logprobs"));
      for (Object tc : list(message.get("tool_calls"))) {
        String id = string(map(tc).get("id"));
        call.response().addToolCallId(id);
        Map<?, ?> function = map(map(tc).get("function"));
        call.response().answerToolCall(string(function.get("name")), string(function.get("arguments")));
        if (out != null) {
          out.add(LlmMessage.Part.toolCall(id, string(function.get("name")), string(function.get("arguments"))));
        }
      }
      if (out != null) call.response().addOutputMessage(out);
    }
    usage(call, map(body.get("usage")));
  }

  /** prompt_tokens includes the cached prompt, as gen_ai.usage.input_tokens does. */
  static void usage(LlmCall call, Map<?, ?> usage) {
    Long input = longValue(usage.get("prompt_tokens"));
    if (input == null) input = longValue(usage.get("input_tokens"));
    if (input == null) return;
    Long output = longValue(usage.get("completion_tokens"));
    if (output == null) output = longValue(usage.get("output_tokens"));
    call.response().usage(input, output);
    Long cached = longValue(map(usage.get("prompt_tokens_details")).get("cached_tokens"));
    if (cached != null) call.response().cacheUsage(cached, null);
    Long reasoning = longValue(map(usage.get("completion_tokens_details")).get("reasoning_tokens"));
    if (reasoning != null) call.response().reasoningOutputTokens(reasoning);
  }

  @Override
  public String toolCallBody(String model, String tool) {
    return "{\"id\":\"chatcmpl-llm-otel-fault\",\"object\":\"chat.completion\",\"created\":"
        + System.currentTimeMillis() / 1000 + ",\"model\":" + dev.llmotel.core.Json.write(model == null ? "unknown" : model)
        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{"
        + "\"id\":\"call_llm_otel_fault\",\"type\":\"function\",\"function\":{\"name\":"
        + dev.llmotel.core.Json.write(tool) + ",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}],"
        + "\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0}}";
  }

  @Override
  public StreamEvents stream(LlmCall call) {
    return new Chunks(call);
  }

  /**
   * Chat completion chunks: content and tool-call deltas per choice, usage on the last chunk, then
   * [DONE]. The answer's characters (content, a legacy completion's text, tool-call arguments) are
   * counted from every chunk, capture on or off, for the estimate of a stream without usage: from
   * the parsed chunk when it is parsed, else by {@link SseParser#stringChars} over its raw data
   * (a content delta, skipped unparsed when content is not captured, has no tool calls).
   */
  static final class Chunks implements StreamEvents {
    private static final String CONTENT = "\"content\"";
    private static final String TEXT = "\"text\"";
    private final LlmCall call;
    private final boolean capture = LlmOtelConfig.get().captureContent();
    /** Every chunk is read: content is captured, checked against a declared structure, or has log-probabilities. */
    private final boolean readAll;
    private final Map<Long, StringBuilder> text = new TreeMap<>();
    private final Map<Long, String> finish = new TreeMap<>();
    private final StreamedToolCalls toolCalls;
    private boolean done;
    private boolean first = true;

    Chunks(LlmCall call) {
      this.call = call;
      this.readAll = capture || call.response().keepsAnswerText() || call.request().logprobsRequested();
      this.toolCalls = new StreamedToolCalls(!call.request().toolDefinitions().isEmpty());
    }

    /** The first chunk (id, model), and any with a finish reason, tool calls or usage; every chunk when {@link #readAll}. */
    @Override
    public boolean wants(String event, String rawData) {
      if (first || readAll) {
        first = false;
        return true;
      }
      return rawData.contains("\"tool_calls\"") || JsonMaps.hasNonNullMember(rawData, "finish_reason")
          || JsonMaps.hasNonNullMember(rawData, "usage");
    }

    @Override
    public void onEvent(String event, Map<?, ?> data, String rawData) {
      if ("[DONE]".equals(rawData)) {
        done = true;
        return;
      }
      if (data == null) {
        // Not parsed (wants): a content delta, counted from its raw data.
        if (rawData != null) call.response().addOutputCharacters(SseParser.stringChars(rawData, CONTENT)
            + SseParser.stringChars(rawData, TEXT));
        return;
      }
      call.response().responseId(string(data.get("id")));
      call.response().responseModel(string(data.get("model")));
      for (Object c : list(data.get("choices"))) {
        Map<?, ?> choice = map(c);
        Long index = longValue(choice.get("index"));
        long i = index == null ? 0 : index;
        String reason = string(choice.get("finish_reason"));
        if (reason != null) finish.put(i, reason);
        Map<?, ?> delta = map(choice.get("delta"));
        for (Object tc : list(delta.get("tool_calls"))) {
          call.response().addToolCallId(string(map(tc).get("id")));
          Map<?, ?> function = map(map(tc).get("function"));
          String arguments = string(function.get("arguments"));
          if (arguments != null) call.response().addOutputCharacters(arguments.length());
          Long position = longValue(map(tc).get("index"));
          toolCalls.delta(i, position == null ? 0 : position, string(function.get("name")), arguments);
        }
        String piece = string(delta.get("content"));
        if (piece != null) call.response().addOutputCharacters(piece.length());
        call.response().answerText((int) Math.min(i, Integer.MAX_VALUE), piece);
        call.response().modelRefused(string(delta.get("refusal")) != null);
        logprobs(call, choice.get("logprobs"));
        String legacy = string(choice.get("text"));
        if (legacy != null) call.response().addOutputCharacters(legacy.length());
        if (capture && piece != null) {
          StringBuilder sb = text.get(i);
          if (sb == null) text.put(i, sb = new StringBuilder());
          sb.append(piece);
        }
      }
      if (data.get("usage") instanceof Map) usage(call, (Map<?, ?>) data.get("usage"));
    }

    @Override
    public boolean finished() {
      return done;
    }

    @Override
    public void finish() {
      for (String reason : finish.values()) call.response().addFinishReason(reason);
      toolCalls.finish(call.response());
      if (capture) {
        for (Map.Entry<Long, StringBuilder> e : text.entrySet()) {
          call.response().addOutputMessage(new LlmMessage("assistant").finishReason(finish.get(e.getKey()))
              .add(LlmMessage.Part.text(e.getValue().toString())));
        }
      }
    }
  }
}
