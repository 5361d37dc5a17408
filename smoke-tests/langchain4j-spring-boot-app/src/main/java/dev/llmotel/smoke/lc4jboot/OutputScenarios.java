package dev.llmotel.smoke.lc4jboot;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.CompletableFuture;

/**
 * The output-validation scenarios that call the starter's models directly (a job of the app, not a
 * request it serves): a ChatRequest declaring a JSON Schema response format, blocking and streamed,
 * and one offering a tool the app declared by hand.
 */
final class OutputScenarios {
  private final ChatModel chatModel;
  private final StreamingChatModel streamingChatModel;

  OutputScenarios(ChatModel chatModel, StreamingChatModel streamingChatModel) {
    this.chatModel = chatModel;
    this.streamingChatModel = streamingChatModel;
  }

  /** {"city": string, "population": integer}, both required, nothing else. */
  static ChatRequest structured() {
    JsonObjectSchema root = JsonObjectSchema.builder().addStringProperty("city").addIntegerProperty("population")
        .required("city", "population").additionalProperties(false).build();
    return ChatRequest.builder().messages(UserMessage.from("What is the capital of France and its population?"))
        .responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
            .jsonSchema(JsonSchema.builder().name("city_answer").rootElement(root).build()).build())
        .build();
  }

  String run(String scenario) {
    switch (scenario) {
      case "out-valid":
      case "out-wrong":
        return "answer=" + chatModel.chat(structured()).aiMessage().text();
      case "out-tool-wrong": {
        ToolSpecification weather = ToolSpecification.builder().name("get_weather").description("Current weather in a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatResponse response = chatModel.chat(ChatRequest.builder()
            .messages(UserMessage.from("What is the weather in Paris?")).toolSpecifications(weather).build());
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().get(0);
        return "tool=" + call.name() + " " + call.arguments();
      }
      case "out-stream-wrong": {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streamingChatModel.chat(structured(), new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partialResponse) {}

          @Override
          public void onCompleteResponse(ChatResponse completeResponse) {
            done.complete(completeResponse);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
        return "answer=" + done.join().aiMessage().text();
      }
      default:
        throw new IllegalArgumentException("unknown output scenario " + scenario);
    }
  }
}
