package dev.llmotel.smoke.okhttp;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/** A call through the OpenAI SDK, which sends it with the same OkHttp: still one LLM span. */
final class SdkScenario {
  static String chat(String root, String scenario) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(root + "/v1").apiKey(OkHttpSmokeApp.KEY).build();
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("Say hello").putAdditionalHeader("x-fake-scenario", scenario).build());
    return completion.choices().get(0).message().content().orElse("");
  }

  private SdkScenario() {}
}
