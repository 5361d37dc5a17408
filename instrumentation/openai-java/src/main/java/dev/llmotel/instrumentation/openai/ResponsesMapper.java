package dev.llmotel.instrumentation.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ClientOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmotel.core.Conversations;
import dev.llmotel.core.FinishReasons;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.semconv.GenAiValues;

/**
 * Maps the Responses API onto the shared call model. Fields whose Java types changed between SDK
 * majors (model and input became Optional) are read through their raw JsonField, whose signature
 * did not change.
 */
final class ResponsesMapper {

  static LlmCall request(ResponseCreateParams params, ClientOptions options, boolean streaming) {
    LlmCall call = new LlmCall(OpenAiProviders.provider(options), GenAiValues.OPERATION_CHAT);
    call.request().streaming(streaming);
    try {
      call.request().server(options.baseUrl());
      JsonNode model = OpenAiJson.tree(params._model());
      if (model != null && model.isTextual()) call.request().requestModel(model.asText());
      call.request().temperature(params.temperature().orElse(null));
      call.request().topP(params.topP().orElse(null));
      call.request().maxTokens(params.maxOutputTokens().orElse(null));
      call.request().conversationId(Conversations.ofResponsesRequest(conversation(params),
          params.previousResponseId().orElse(null)));
      mapInput(call, params); // always: governance hashes it; capture only decides export
      if (params.text().isPresent() && params.text().get().format().isPresent()) {
        DeclaredStructures.openAiResponses(call, OpenAiJson.textFormat(params.text().get().format().get()));
      }
      JsonNode include = OpenAiJson.tree(params._include());
      if (include != null && include.toString().contains("message.output_text.logprobs")) call.request().logprobsRequested(true);
    } catch (Throwable t) {
      SafeHooks.failed("openai responses request mapping", t);
    }
    return call;
  }

  /** {@code _conversation()}, which SDKs before the Conversations API lack: looked up once. */
  private static final java.lang.reflect.Method CONVERSATION = conversationAccessor();

  private static java.lang.reflect.Method conversationAccessor() {
    try {
      return ResponseCreateParams.class.getMethod("_conversation");
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }

  /** The request's conversation id (an id, or an object with one), or null. */
  static String conversation(ResponseCreateParams params) {
    if (CONVERSATION == null) return null;
    try {
      JsonNode node = OpenAiJson.tree(CONVERSATION.invoke(params));
      if (node == null) return null;
      if (node.isTextual()) return node.asText();
      return OpenAiJson.text(node, "id");
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static void mapInput(LlmCall call, ResponseCreateParams params) {
    JsonNode instructions = OpenAiJson.tree(params._instructions());
    if (instructions != null && instructions.isTextual()) {
      call.request().systemInstructions().add(LlmMessage.Part.text(instructions.asText()));
    }
    JsonNode input = OpenAiJson.tree(params._input());
    if (input == null || input.isNull() || input.isMissingNode()) return;
    if (input.isTextual()) {
      call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(input.asText())));
      return;
    }
    for (JsonNode item : input) {
      String type = OpenAiJson.text(item, "type");
      if ("function_call".equals(type)) {
        call.request().inputMessages().add(new LlmMessage("assistant").add(LlmMessage.Part.toolCall(
            OpenAiJson.text(item, "call_id"), OpenAiJson.text(item, "name"), OpenAiJson.text(item, "arguments"))));
      } else if ("function_call_output".equals(type)) {
        call.request().inputMessages().add(new LlmMessage("tool").add(LlmMessage.Part.toolCallResponse(
            OpenAiJson.text(item, "call_id"), OpenAiJson.text(item, "output"))));
      } else {
        String role = OpenAiJson.text(item, "role");
        if ("system".equals(role) || "developer".equals(role)) {
          String text = OpenAiJson.contentText(item.get("content"));
          if (text != null) call.request().systemInstructions().add(LlmMessage.Part.text(text));
        } else {
          LlmMessage m = new LlmMessage(role == null ? "user" : role);
          OpenAiJson.addContent(m, item.get("content")); // text and media (input_image, input_file, input_audio)
          call.request().inputMessages().add(m);
        }
      }
    }
    JsonNode tools = OpenAiJson.tree(params._tools());
    if (tools != null && tools.isArray()) {
      for (JsonNode tool : tools) call.request().toolDefinitions().add(OpenAiJson.toolDefinition(tool));
    }
  }

  /** Each part is read on its own, so one field of an unexpected shape loses only that field. */
  static void response(LlmCall call, Response response) {
    try {
      call.response().responseId(response.id());
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai responses id", t, false);
    }
    try {
      JsonNode model = OpenAiJson.tree(response._model());
      if (model != null && model.isTextual()) call.response().responseModel(model.asText());
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai responses model", t, false);
    }
    String incomplete = null;
    try {
      if (response.incompleteDetails().isPresent()) {
        incomplete = response.incompleteDetails().get().reason().map(r -> r.asString()).orElse(null);
        call.response().incompleteReason(incomplete);
      }
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai responses incomplete details", t, false);
    }
    String status = null;
    try {
      String state = response.status().isPresent() ? response.status().get().asString() : null;
      status = FinishReasons.openAiResponses(state, incomplete, calledFunction(response));
      call.response().addFinishReason(status);
      Conversations.responseCreated(response.id(), call.request().conversationId());
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai responses status", t, false);
    }
    try {
      if (response.usage().isPresent()) {
        ResponseUsage u = response.usage().get();
        call.response().usage(u.inputTokens(), u.outputTokens());
        call.response().cacheUsage(u.inputTokensDetails().cachedTokens(), null);
        call.response().reasoningOutputTokens(u.outputTokensDetails().reasoningTokens());
      }
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai responses usage", t, false);
    }
    boolean capture = LlmOtelConfig.get().captureContent();
    if (capture || call.request().checksAnswer() || call.response().keepsAnswerText()
        || call.request().logprobsRequested()) {
      try {
        readOutput(call, response, status, capture);
      } catch (Throwable t) {
        OpenAiErrors.badField(call, "openai responses output", t, false);
      }
    }
  }

  /** Whether the model called a function (an output item of type function_call). */
  private static boolean calledFunction(Response response) {
    for (Object item : response.output()) {
      if (item instanceof com.openai.models.responses.ResponseOutputItem
          && ((com.openai.models.responses.ResponseOutputItem) item).isFunctionCall()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The output items: for the answer's check (text, function calls, a refusal, log-probabilities)
   * whenever the request declared something to check, and as the output message when capturing.
   */
  private static void readOutput(LlmCall call, Response response, String status, boolean capture) {
    LlmMessage out = new LlmMessage("assistant").finishReason(status);
    for (Object item : response.output()) {
      JsonNode node = OpenAiJson.tree(item);
      String type = OpenAiJson.text(node, "type");
      if ("message".equals(type)) {
        String text = OpenAiJson.contentText(node.get("content"));
        if (text != null) out.add(LlmMessage.Part.text(text));
        call.response().answerText(0, text);
        for (JsonNode part : node.path("content")) {
          if ("refusal".equals(OpenAiJson.text(part, "type"))) call.response().modelRefused(true);
          for (JsonNode token : part.path("logprobs")) {
            if (token.path("logprob").isNumber()) call.response().tokenLogprob(token.path("logprob").asDouble());
          }
        }
      } else if ("function_call".equals(type)) {
        out.add(LlmMessage.Part.toolCall(OpenAiJson.text(node, "call_id"), OpenAiJson.text(node, "name"),
            OpenAiJson.text(node, "arguments")));
        call.response().answerToolCall(OpenAiJson.text(node, "name"), OpenAiJson.text(node, "arguments"));
      }
    }
    if (capture) call.response().addOutputMessage(out);
  }

  /** One streamed event: every event counts as a chunk; the final one carries the response. */
  static void onEvent(LlmCall call, ResponseStreamEvent event) {
    call.response().onChunk();
    try {
      if (event.completed().isPresent()) {
        response(call, event.completed().get().response());
      } else if (event.incomplete().isPresent()) {
        response(call, event.incomplete().get().response());
      } else if (event.failed().isPresent()) {
        response(call, event.failed().get().response());
      }
    } catch (Throwable t) {
      SafeHooks.failed("openai responses stream event mapping", t);
    }
  }

  private ResponsesMapper() {}
}
