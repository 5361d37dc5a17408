package dev.llmotel.instrumentation.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ClientOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.output.DeclaredStructures;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.List;

/** Maps chat-completion params and results of the OpenAI SDK onto the shared call model. */
final class ChatCompletionMapper {

  static LlmCall request(ChatCompletionCreateParams params, ClientOptions options, boolean streaming) {
    LlmCall call = new LlmCall(OpenAiProviders.provider(options), GenAiValues.OPERATION_CHAT);
    call.request().streaming(streaming);
    try {
      call.request().server(options.baseUrl());
      call.request().requestModel(params.model().asString());
      call.request().temperature(params.temperature().orElse(null));
      call.request().topP(params.topP().orElse(null));
      call.request().maxTokens(params.maxCompletionTokens().orElse(params.maxTokens().orElse(null)));
      call.request().frequencyPenalty(params.frequencyPenalty().orElse(null));
      call.request().presencePenalty(params.presencePenalty().orElse(null));
      call.request().seed(params.seed().orElse(null));
      call.request().choiceCount(params.n().orElse(null));
      if (params.stop().isPresent()) call.request().stopSequences(stopSequences(OpenAiJson.tree(params.stop().get())));
      if (params.responseFormat().isPresent()) {
        DeclaredStructures.openAiChat(call, OpenAiJson.responseFormat(params.responseFormat().get()));
      }
      JsonNode modalities = OpenAiJson.tree(params._modalities());
      if (modalities != null && modalities.isArray()) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonNode m : modalities) names.add(m.asText());
        DeclaredStructures.openAiModalities(call, names);
      }
      call.request().logprobsRequested(params.logprobs().orElse(false));
      // Always mapped: governance hashes and estimates them; only capture decides whether they are exported.
      mapInput(call, params);
    } catch (Throwable t) {
      SafeHooks.failed("openai chat request mapping", t);
    }
    return call;
  }

  private static void mapInput(LlmCall call, ChatCompletionCreateParams params) {
    for (ChatCompletionMessageParam message : params.messages()) {
      if (!mapPlainText(call, message)) mapThroughJson(call, message);
    }
    if (params.tools().isPresent()) {
      for (Object tool : params.tools().get()) {
        call.request().toolDefinitions().add(OpenAiJson.toolDefinition(OpenAiJson.tree(tool)));
      }
    }
  }

  /**
   * The common messages (system, developer, user and tool messages with plain-text content) read
   * through the typed API, whose shape is the same in every supported SDK release: no JSON tree is
   * built for them on the hot path. Returns false for anything else.
   */
  private static boolean mapPlainText(LlmCall call, ChatCompletionMessageParam message) {
    if (message.isUser() && message.asUser().content().isText()) {
      call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(message.asUser().content().asText())));
      return true;
    }
    if (message.isSystem() && message.asSystem().content().isText()) {
      call.request().systemInstructions().add(LlmMessage.Part.text(message.asSystem().content().asText()));
      return true;
    }
    if (message.isDeveloper() && message.asDeveloper().content().isText()) {
      call.request().systemInstructions().add(LlmMessage.Part.text(message.asDeveloper().content().asText()));
      return true;
    }
    if (message.isTool() && message.asTool().content().isText()) {
      call.request().inputMessages().add(new LlmMessage("tool").add(LlmMessage.Part.toolCallResponse(
          message.asTool().toolCallId(), message.asTool().content().asText())));
      return true;
    }
    return false;
  }

  /** Assistant messages (tool calls changed shape in SDK 3.0), content-part arrays, legacy roles. */
  private static void mapThroughJson(LlmCall call, ChatCompletionMessageParam message) {
    JsonNode node = OpenAiJson.tree(message);
    String role = OpenAiJson.text(node, "role");
    if ("system".equals(role) || "developer".equals(role)) {
      String text = OpenAiJson.contentText(node.get("content"));
      if (text != null) call.request().systemInstructions().add(LlmMessage.Part.text(text));
    } else {
      call.request().inputMessages().add(OpenAiJson.chatMessage(node));
    }
  }

  private static List<String> stopSequences(JsonNode stop) {
    List<String> out = new ArrayList<>();
    if (stop.isTextual()) {
      out.add(stop.asText());
    } else if (stop.isArray()) {
      for (JsonNode s : stop) out.add(s.asText());
    }
    return out;
  }

  /**
   * Each part is read on its own: a response with one field of an unexpected shape (some
   * OpenAI-compatible servers omit the model, say) still gives the span its usage and finish reasons.
   */
  static void response(LlmCall call, ChatCompletion completion) {
    // Plain try blocks rather than lambdas: this runs on every call and allocates nothing extra.
    try {
      call.response().responseId(completion.id());
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai chat response id", t, false);
    }
    try {
      call.response().responseModel(completion.model());
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai chat response model", t, false);
    }
    try {
      choices(call, completion);
    } catch (Throwable t) {
      // No usable choices: the app fails when it reads them, and so does the call's span.
      OpenAiErrors.badField(call, "openai chat response choices", t, true);
    }
    try {
      if (completion.usage().isPresent()) usage(call, completion.usage().get());
    } catch (Throwable t) {
      OpenAiErrors.badField(call, "openai chat response usage", t, false);
    }
  }

  private static void choices(LlmCall call, ChatCompletion completion) {
    boolean capture = LlmOtelConfig.get().captureContent();
    boolean toolsOffered = !call.request().toolDefinitions().isEmpty();
    java.util.List<ChatCompletion.Choice> choices = completion.choices();
    for (int position = 0; position < choices.size(); position++) {
      ChatCompletion.Choice choice = choices.get(position);
      // The finish reason and the index are read only where the server sent them: a compatible server that sends
      // "finish_reason": null, or no index, gives an answer the app reads as usual (the SDK checks a required
      // field only when it is read), and the call must not end in error for what the app never reads.
      String finish = OpenAiJson.hasValue(choice._finishReason()) ? choice.finishReason().asString() : null;
      call.response().addFinishReason(finish);
      // What the answer's check reads, capture on or off (no-ops for a request that declared nothing).
      int index = OpenAiJson.hasValue(choice._index()) ? (int) choice.index() : position;
      call.response().answerText(index, choice.message().content().orElse(null));
      call.response().modelRefused(choice.message().refusal().isPresent());
      if (toolsOffered && choice.message().toolCalls().isPresent()) {
        for (Object toolCall : choice.message().toolCalls().get()) {
          LlmMessage.Part part = OpenAiJson.toolCall(OpenAiJson.tree(toolCall));
          if (part != null) call.response().answerToolCall(part.name, part.arguments);
        }
      }
      if (call.request().logprobsRequested()) logprobs(call, choice.logprobs());
      if (capture) {
        LlmMessage out = new LlmMessage("assistant").finishReason(finish);
        choice.message().content().ifPresent(text -> out.add(LlmMessage.Part.text(text)));
        if (choice.message().toolCalls().isPresent()) {
          for (Object toolCall : choice.message().toolCalls().get()) {
            out.add(OpenAiJson.toolCall(OpenAiJson.tree(toolCall)));
          }
        }
        call.response().addOutputMessage(out);
      }
    }
  }

  /** Each answer token's log-probability, where the app asked for them. */
  private static void logprobs(LlmCall call, java.util.Optional<ChatCompletion.Choice.Logprobs> logprobs) {
    if (!logprobs.isPresent() || !logprobs.get().content().isPresent()) return;
    for (com.openai.models.chat.completions.ChatCompletionTokenLogprob token : logprobs.get().content().get()) {
      call.response().tokenLogprob(token.logprob());
    }
  }

  /** Each count only where the server sent it: one left out (some compatible servers) loses only itself. */
  static void usage(LlmCall call, CompletionUsage usage) {
    call.response().usage(OpenAiJson.hasValue(usage._promptTokens()) ? usage.promptTokens() : null,
        OpenAiJson.hasValue(usage._completionTokens()) ? usage.completionTokens() : null);
    usage.promptTokensDetails().ifPresent(d -> call.response().cacheUsage(d.cachedTokens().orElse(null), null));
    usage.completionTokensDetails().ifPresent(d -> call.response().reasoningOutputTokens(d.reasoningTokens().orElse(null)));
  }

  private ChatCompletionMapper() {}
}
