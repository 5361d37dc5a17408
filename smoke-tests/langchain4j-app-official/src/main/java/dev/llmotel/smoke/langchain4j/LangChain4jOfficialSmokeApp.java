package dev.llmotel.smoke.langchain4j;

import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialChatModel;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialStreamingChatModel;
import java.util.Collections;

/**
 * The LangChain4j smoke app with langchain4j-open-ai-official models, which call the OpenAI Java
 * SDK: LangChain4j's model call and the SDK's call are one logical call, traced once.
 */
public final class LangChain4jOfficialSmokeApp extends LangChain4jSmokeApp {
  LangChain4jOfficialSmokeApp(String baseUrl) {
    super(baseUrl);
  }

  public static void main(String[] args) {
    new LangChain4jOfficialSmokeApp(args[0]).runAll(args);
  }

  @Override
  ChatModel model(String scenario) {
    return OpenAiOfficialChatModel.builder().baseUrl(baseUrl).apiKey(API_KEY).modelName("gpt-4o-mini")
        .maxRetries(1).customHeaders(Collections.singletonMap("x-fake-scenario", scenario)).build();
  }

  @Override
  StreamingChatModel streamingModel(String scenario) {
    return OpenAiOfficialStreamingChatModel.builder().baseUrl(baseUrl).apiKey(API_KEY).modelName("gpt-4o-mini")
        .customHeaders(Collections.singletonMap("x-fake-scenario", scenario)).build();
  }

  @Override
  ChatModel structuredOutputsModel(String scenario) {
    return OpenAiOfficialChatModel.builder().baseUrl(baseUrl).apiKey(API_KEY).modelName("gpt-4o-mini")
        .maxRetries(1).supportedCapabilities(Collections.singleton(Capability.RESPONSE_FORMAT_JSON_SCHEMA))
        .strictJsonSchema(true).customHeaders(Collections.singletonMap("x-fake-scenario", scenario)).build();
  }

  @Override
  ChatModel jsonObjectModel(String scenario) {
    return OpenAiOfficialChatModel.builder().baseUrl(baseUrl).apiKey(API_KEY).modelName("gpt-4o-mini")
        .maxRetries(1).responseFormat("json_object")
        .customHeaders(Collections.singletonMap("x-fake-scenario", scenario)).build();
  }

  @Override
  String runScenario(String scenario) {
    switch (scenario) {
      case "chat-stream": {
        CountingHandler handler = new CountingHandler();
        OpenAiOfficialStreamingChatModel.builder().baseUrl(baseUrl).apiKey(API_KEY).modelName("gpt-4o-mini")
            .customHeaders(Collections.singletonMap("x-fake-scenario", scenario)).build()
            .chat("Tell me a short story", handler);
        ChatResponse response = handler.done.join();
        return "chunks=" + handler.partials + " text=" + response.aiMessage().text();
      }
      default:
        return super.runScenario(scenario); // on model(scenario): the official one
    }
  }
}
