package dev.llmotel.smoke.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.util.concurrent.TimeUnit;

/**
 * The scenarios of online evaluation: plain chat calls whose answers llm-otel hands to its judge
 * (the fake server, scripted by the test through the question each scenario asks), blocking, async
 * and streamed; and {@code eval-wait}, which holds the app until llm-otel's evaluation threads are
 * idle, as a service that lives on would, so that results are exported before the JVM exits.
 */
final class EvaluationScenarios {
  private final OpenAIClient client;
  private final OpenAIClientAsync asyncClient;

  EvaluationScenarios(OpenAIClient client, OpenAIClientAsync asyncClient) {
    this.client = client;
    this.asyncClient = asyncClient;
  }

  /** Each scenario asks its own question: the test's judge rules pick it out by these words. */
  static String question(String scenario) {
    return "Evaluation case " + scenario + ": what is the capital of France?";
  }

  private static ChatCompletionCreateParams.Builder chat(String scenario) {
    return ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a terse assistant. Answer in one sentence.")
        .addUserMessage(question(scenario))
        .maxCompletionTokens(100)
        .putAdditionalHeader("x-fake-scenario", scenario);
  }

  String run(String scenario) throws Exception {
    switch (scenario) {
      case "eval-wait":
        return "evaluation threads idle: " + dev.llmotel.smoke.support.EvaluationThreads.awaitIdle();
      case "eval-async":
        return text(asyncClient.chat().completions().create(chat(scenario).build()).get(30, TimeUnit.SECONDS));
      case "eval-stream": {
        StringBuilder sb = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
            chat(scenario).streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
          stream.stream().forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(sb::append)));
        }
        return "text=" + sb;
      }
      default:
        return text(client.chat().completions().create(chat(scenario).build()));
    }
  }

  private static String text(ChatCompletion completion) {
    return completion.choices().get(0).message().content().orElse("");
  }
}
