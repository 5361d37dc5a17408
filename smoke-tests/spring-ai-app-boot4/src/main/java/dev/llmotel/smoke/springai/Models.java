package dev.llmotel.smoke.springai;

import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.support.ToolCallbacks;

/**
 * Spring AI 2.0's OpenAI models: built on the official OpenAI Java SDK, which retries once on a
 * transient failure. Each scenario's models send x-fake-scenario.
 */
final class Models {
  static final String LINE = "Spring AI 2.0 on Spring Boot 4";

  static ChatModel chat(String baseUrl, String scenario) {
    return chat(baseUrl, scenario, ObservationRegistry.NOOP);
  }

  static ChatModel chat(String baseUrl, String scenario, ObservationRegistry observations) {
    return OpenAiChatModel.builder().observationRegistry(observations)
        .options(OpenAiChatOptions.builder().baseUrl(baseUrl).apiKey(SpringAiSmokeApp.API_KEY)
            .model("gpt-4o-mini").maxRetries(1).streamUsage(true)
            .customHeaders(Map.of("x-fake-scenario", scenario)).build())
        .build();
  }

  static EmbeddingModel embeddings(String baseUrl, String scenario) {
    return new OpenAiEmbeddingModel(MetadataMode.EMBED,
        OpenAiEmbeddingOptions.builder().baseUrl(baseUrl).apiKey(SpringAiSmokeApp.API_KEY)
            .model("text-embedding-3-small").customHeaders(Map.of("x-fake-scenario", scenario)).build());
  }

  /** Spring AI 2.0's Anthropic model, built on the Anthropic Java SDK. */
  static ChatModel anthropic(String baseUrl, String scenario) {
    String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    return AnthropicChatModel.builder()
        .options(AnthropicChatOptions.builder().baseUrl(root).apiKey(SpringAiSmokeApp.API_KEY)
            .model("claude-sonnet-4-20250514").maxTokens(256).maxRetries(1)
            .customHeaders(Map.of("x-fake-scenario", scenario)).build())
        .build();
  }

  /** Options of a call whose answer must be JSON in this schema (OpenAI's strict structured outputs). */
  static ChatOptions structured(String name, String schema) {
    // 2.0's response format has no name: the SDK request names the schema itself.
    return OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true)
        .responseFormat(OpenAiChatModel.ResponseFormat.builder().type(OpenAiChatModel.ResponseFormat.Type.JSON_SCHEMA)
            .jsonSchema(schema).strict(true).build())
        .build();
  }

  /**
   * Options of a call that offers these tools and leaves running them to the app: 2.0's model
   * never runs tools itself (the ChatClient's tool calling advisor does).
   */
  static ChatOptions offeringTools(Object tools) {
    return OpenAiChatOptions.builder().model("gpt-4o-mini").toolCallbacks(ToolCallbacks.from(tools)).build();
  }

  private Models() {}
}
