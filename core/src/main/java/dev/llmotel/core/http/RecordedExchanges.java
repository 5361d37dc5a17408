package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps request and response text of a provider's wire format onto a call, outside any live
 * exchange: the usage and cost of a record as it is written, a record-mode file read back (the
 * offline evaluation), and the judge's own calls. The same mappings as the live layers, written once.
 */
public final class RecordedExchanges {
  private static final Pattern MODEL_IN_PATH = Pattern.compile(".*/models?/([^/:]+)(?::[A-Za-z]+|/[a-z-]+)?$");

  private RecordedExchanges() {}

  /** The format a record names ({@code format} field), or null for a name this version does not know. */
  static WireFormat format(String name, String path, String operation) {
    if (name == null) return null;
    if (name.startsWith("bedrock-")) return BedrockWire.forPath(name.equals("bedrock-converse") ? "/converse" : "/invoke", operation);
    return LlmEndpoints.format(name);
  }

  /**
   * A call rebuilt from one record of a record-mode file: its request mapped as the live layer maps
   * it, then its response (a JSON body or a stream's chunks). {@code beforeResponse} runs between the
   * two (to mark the call as one whose answer is kept). Null when the record cannot be read as a call
   * (an unknown format, an error with no answer, a request that is not JSON).
   */
  public static LlmCall rebuild(Map<?, ?> record, java.util.function.Consumer<LlmCall> beforeResponse) {
    String provider = string(record.get("provider"));
    String operation = string(record.get("operation"));
    String path = string(record.get("path"));
    WireFormat format = format(string(record.get("format")), path, operation);
    if (format == null || provider == null || operation == null) return null;
    Map<?, ?> request = JsonMaps.parseObject(string(record.get("request")));
    if (request == null) return null;
    LlmCall call = new LlmCall(provider, operation);
    String pathModel = null;
    if (path != null) {
      Matcher m = MODEL_IN_PATH.matcher(path);
      if (m.matches()) pathModel = m.group(1);
    }
    format.request(call, request, pathModel);
    if (call.request().requestModel() == null) call.request().requestModel(string(record.get("model")));
    if (beforeResponse != null) beforeResponse.accept(call);
    Object chunks = record.get("chunks");
    Object body = record.get("body");
    if (chunks instanceof List) {
      boolean frames = false;
      for (Object c : (List<?>) chunks) frames |= c instanceof Map && ((Map<?, ?>) c).containsKey("headers");
      StringBuilder text = new StringBuilder();
      for (Object c : (List<?>) chunks) {
        if (c instanceof Map && ((Map<?, ?>) c).get("text") instanceof String) text.append((String) ((Map<?, ?>) c).get("text"));
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> list = (List<Map<String, Object>>) chunks;
      mapResponse(format, call, text.toString(), frames ? list : null, true);
    } else if (body instanceof String) {
      mapResponse(format, call, (String) body, null, false);
    } else {
      return null;
    }
    return call;
  }

  /**
   * Maps a response onto the call: a whole JSON body, a stream's SSE text, or (an AWS event stream)
   * its decoded frames, each a map with {@code headers} and {@code text}.
   */
  static void mapResponse(WireFormat format, LlmCall call, String text, List<Map<String, Object>> frames,
      boolean streamed) {
    if (!streamed) {
      Map<?, ?> parsed = JsonMaps.parseObject(text);
      if (parsed != null) format.response(call, parsed);
      return;
    }
    WireFormat.StreamEvents events = format.stream(call);
    if (events == null) return;
    if (frames != null) {
      for (Map<String, Object> c : frames) {
        Object headers = c.get("headers");
        String event = headers instanceof Map ? (String) ((Map<?, ?>) headers).get(":event-type") : null;
        String data = (String) c.get("text");
        events.onEvent(event, JsonMaps.parseObject(data), data);
      }
    } else {
      SseParser parser = new SseParser(new SseParser.Listener() {
        @Override
        public void onEvent(String event, String data) {
          events.onEvent(event, JsonMaps.parseObject(data), data);
        }

        @Override
        public void onOversizedEvent() {}
      }, Recordings.MAX_TEXT);
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      parser.feed(bytes, 0, bytes.length);
      parser.end();
    }
    events.finish();
  }

  /** Maps an OpenAI chat completions request body onto a call (the judge's own request). */
  public static void openAiChatRequest(LlmCall call, Map<?, ?> body) {
    OpenAiChatWire.INSTANCE.request(call, body, null);
  }

  /** Maps an OpenAI chat completions response body onto a call (the judge's answer). */
  public static void openAiChatResponse(LlmCall call, Map<?, ?> body) {
    OpenAiChatWire.INSTANCE.response(call, body);
  }

  private static String string(Object o) {
    return o instanceof String ? (String) o : null;
  }
}
