package dev.llmotel.core.http;

import static dev.llmotel.core.http.JsonMaps.doubleValue;
import static dev.llmotel.core.http.JsonMaps.list;
import static dev.llmotel.core.http.JsonMaps.longValue;
import static dev.llmotel.core.http.JsonMaps.map;
import static dev.llmotel.core.http.JsonMaps.string;

import dev.llmotel.core.Conversations;
import dev.llmotel.core.FinishReasons;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.semconv.GenAiValues;
import java.util.Map;

/**
 * OpenAI's Responses API ({@code /responses}): a response object with {@code status}, output
 * items and usage ({@code input_tokens}, {@code output_tokens} and their details); streamed as
 * typed events, the last of which ({@code response.completed}, {@code .incomplete} or
 * {@code .failed}) carries the whole response.
 */
final class OpenAiResponsesWire implements WireFormat {
  static final OpenAiResponsesWire INSTANCE = new OpenAiResponsesWire();

  @Override
  public String name() {
    return "openai-responses";
  }

  @Override
  public String operation() {
    return GenAiValues.OPERATION_CHAT;
  }

  /**
   * {@code model} (or a deployment in the path) and {@code input}, a string or an array of items,
   * or no input where the request continues a conversation ({@code previous_response_id} or
   * {@code conversation}); or a stored prompt ({@code prompt} with its {@code id}), which names
   * the model itself, where {@code model} and {@code input} are optional but of those types when
   * present.
   */
  @Override
  public boolean isRequest(Map<?, ?> body, String pathModel) {
    Object input = body.get("input");
    if (JsonMaps.namesModel(body, pathModel)) {
      if (JsonMaps.isStringOrList(input)) return true;
      Object conversation = body.get("conversation");
      if (input == null && (body.get("previous_response_id") instanceof String || conversation instanceof String
          || conversation instanceof Map)) {
        return true;
      }
    }
    Object prompt = body.get("prompt");
    return prompt instanceof Map && string(((Map<?, ?>) prompt).get("id")) != null
        && (!body.containsKey("model") || body.get("model") instanceof String)
        && (input == null || JsonMaps.isStringOrList(input));
  }

  @Override
  public void request(LlmCall call, Map<?, ?> body, String pathModel) {
    String model = string(body.get("model"));
    call.request().requestModel(model != null ? model : pathModel);
    Object conversation = body.get("conversation"); // an id, or {"id": ...}
    call.request().conversationId(Conversations.ofResponsesRequest(
        conversation instanceof Map ? string(((Map<?, ?>) conversation).get("id")) : string(conversation),
        string(body.get("previous_response_id"))));
    call.request().maxTokens(longValue(body.get("max_output_tokens")));
    call.request().temperature(doubleValue(body.get("temperature")));
    call.request().topP(doubleValue(body.get("top_p")));
    DeclaredStructures.openAiResponses(call, map(map(body.get("text")).get("format")));
    for (Object t : list(body.get("tools"))) {
      Map<?, ?> tool = map(t);
      String name = string(tool.get("name"));
      if ("function".equals(string(tool.get("type"))) && name != null) {
        call.request().toolDefinitions().add(new ToolDefinition(GenAiValues.TOOL_TYPE_FUNCTION, name,
            string(tool.get("description")), JsonMaps.text(tool.get("parameters"))));
      }
    }
    String instructions = string(body.get("instructions"));
    if (instructions != null) call.request().systemInstructions().add(LlmMessage.Part.text(instructions));
    Object input = body.get("input");
    if (input instanceof String) {
      call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text((String) input)));
      return;
    }
    for (Object item : list(input)) {
      Map<?, ?> m = map(item);
      String role = string(m.get("role"));
      if (role == null) continue; // tool outputs and other items: not messages
      if ("system".equals(role) || "developer".equals(role)) {
        String text = OpenAiChatWire.contentText(m.get("content"));
        if (text != null) call.request().systemInstructions().add(LlmMessage.Part.text(text));
        continue;
      }
      LlmMessage message = new LlmMessage(role);
      OpenAiChatWire.addContent(message, m.get("content"));
      if (!message.parts().isEmpty()) call.request().inputMessages().add(message);
    }
  }

  @Override
  public boolean streamRequested(Map<?, ?> body, String path) {
    return Boolean.TRUE.equals(body.get("stream"));
  }

  @Override
  public void response(LlmCall call, Map<?, ?> body) {
    call.response().responseId(string(body.get("id")));
    call.response().responseModel(string(body.get("model")));
    String incomplete = string(map(body.get("incomplete_details")).get("reason"));
    call.response().incompleteReason(incomplete);
    boolean calledFunction = false;
    for (Object item : list(body.get("output"))) {
      Map<?, ?> m = map(item);
      String type = string(m.get("type"));
      if ("function_call".equals(type)) {
        calledFunction = true;
        call.response().addToolCallId(string(m.get("call_id")));
        call.response().answerToolCall(string(m.get("name")), string(m.get("arguments")));
      } else if ("message".equals(type)) {
        for (Object c : list(m.get("content"))) {
          Map<?, ?> part = map(c);
          String partType = string(part.get("type"));
          if ("output_text".equals(partType)) {
            call.response().answerText(0, string(part.get("text")));
            for (Object token : list(part.get("logprobs"))) {
              Double logprob = doubleValue(map(token).get("logprob"));
              if (logprob != null) call.response().tokenLogprob(logprob);
            }
          } else if ("refusal".equals(partType)) {
            call.response().modelRefused(true);
          }
        }
      }
    }
    call.response().addFinishReason(FinishReasons.openAiResponses(string(body.get("status")), incomplete, calledFunction));
    Conversations.responseCreated(call.response().responseId(), call.request().conversationId());
    Map<?, ?> usage = map(body.get("usage"));
    Long input = longValue(usage.get("input_tokens"));
    if (input == null) return;
    call.response().usage(input, longValue(usage.get("output_tokens")));
    Long cached = longValue(map(usage.get("input_tokens_details")).get("cached_tokens"));
    if (cached != null) call.response().cacheUsage(cached, null);
    call.response().reasoningOutputTokens(longValue(map(usage.get("output_tokens_details")).get("reasoning_tokens")));
  }

  @Override
  public StreamEvents stream(LlmCall call) {
    return new StreamEvents() {
      private boolean done;

      @Override
      public boolean wants(String event, String rawData) {
        // Only the events that carry the response object; deltas say nothing we record.
        return event == null || event.startsWith("response.created") || event.equals("response.completed")
            || event.equals("response.incomplete") || event.equals("response.failed");
      }

      @Override
      public void onEvent(String event, Map<?, ?> data, String rawData) {
        if (data == null) {
          // A delta, not parsed (wants): the answer's characters are counted from its raw data.
          if (isAnswerDelta(event) && rawData != null) call.response().addOutputCharacters(SseParser.stringChars(rawData, DELTA));
          return;
        }
        String type = string(data.get("type"));
        if (isAnswerDelta(type)) {
          String delta = string(data.get("delta"));
          if (delta != null) call.response().addOutputCharacters(delta.length());
          return;
        }
        Map<?, ?> response = map(data.get("response"));
        if ("response.created".equals(type)) {
          call.response().responseId(string(response.get("id")));
          call.response().responseModel(string(response.get("model")));
        } else if ("response.completed".equals(type) || "response.incomplete".equals(type)
            || "response.failed".equals(type)) {
          response(call, response);
          done = true;
        }
      }

      @Override
      public boolean finished() {
        return done;
      }

      @Override
      public void finish() {}
    };
  }

  private static final String DELTA = "\"delta\"";

  /**
   * The events whose {@code delta} is a piece of the answer: its text, a refusal, a function call's
   * or custom tool call's arguments. Their characters are counted, capture on or off, for the
   * estimate of a stream closed before {@code response.completed} (which carries the usage): from
   * the parsed event when it is parsed, else by {@link SseParser#stringChars} over its raw data.
   * Reasoning summaries are not counted (no format counts reasoning text).
   */
  static boolean isAnswerDelta(String type) {
    return type != null && (type.equals("response.output_text.delta") || type.equals("response.refusal.delta")
        || type.equals("response.function_call_arguments.delta")
        || type.equals("response.custom_tool_call_input.delta"));
  }
}
