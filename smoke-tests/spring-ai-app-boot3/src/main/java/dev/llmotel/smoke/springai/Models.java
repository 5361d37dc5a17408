package dev.llmotel.smoke.springai;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.anthropic.api.AnthropicApi;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.openai.api.ResponseFormat;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.ai.support.ToolCallbacks;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.util.LinkedMultiValueMap;

/**
 * Spring AI 1.1's OpenAI models: its own REST client (RestClient, and WebClient for streams), one
 * retry on a transient failure. Each scenario's models send x-fake-scenario.
 */
final class Models {
  static final String LINE = "Spring AI 1.1 on Spring Boot 3";

  static ChatModel chat(String baseUrl, String scenario) {
    return chat(baseUrl, scenario, ObservationRegistry.NOOP);
  }

  static ChatModel chat(String baseUrl, String scenario, ObservationRegistry observations) {
    return OpenAiChatModel.builder().openAiApi(api(baseUrl, scenario)).observationRegistry(observations)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true).build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(2).fixedBackoff(10).retryOn(TransientAiException.class).build())
        .build();
  }

  static EmbeddingModel embeddings(String baseUrl, String scenario) {
    return new OpenAiEmbeddingModel(api(baseUrl, scenario), MetadataMode.EMBED,
        OpenAiEmbeddingOptions.builder().model("text-embedding-3-small").build());
  }

  private static OpenAiApi api(String baseUrl, String scenario) {
    LinkedMultiValueMap<String, String> headers = new LinkedMultiValueMap<>();
    headers.add("x-fake-scenario", scenario);
    // Spring AI 1.1 appends /v1/chat/completions itself.
    String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    return OpenAiApi.builder().baseUrl(root).apiKey(SpringAiSmokeApp.API_KEY).headers(headers).build();
  }

  /** Spring AI 1.1's Anthropic model, on its own REST client (which sends no custom headers). */
  static ChatModel anthropic(String baseUrl, String scenario) {
    String root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    return AnthropicChatModel.builder()
        .anthropicApi(AnthropicApi.builder().baseUrl(root).apiKey(SpringAiSmokeApp.API_KEY).build())
        .defaultOptions(AnthropicChatOptions.builder().model("claude-sonnet-4-20250514").maxTokens(256).build())
        .build();
  }

  /** Options of a call whose answer must be JSON in this schema (OpenAI's strict structured outputs). */
  static ChatOptions structured(String name, String schema) {
    return OpenAiChatOptions.builder().model("gpt-4o-mini").streamUsage(true)
        .responseFormat(ResponseFormat.builder().type(ResponseFormat.Type.JSON_SCHEMA)
            .jsonSchema(ResponseFormat.JsonSchema.builder().name(name).schema(schema).strict(true).build()).build())
        .build();
  }

  /** Options of a call that offers these tools and leaves running them to the app. */
  static ChatOptions offeringTools(Object tools) {
    return OpenAiChatOptions.builder().model("gpt-4o-mini").toolCallbacks(ToolCallbacks.from(tools))
        .internalToolExecutionEnabled(false).build();
  }

  private Models() {}
}
