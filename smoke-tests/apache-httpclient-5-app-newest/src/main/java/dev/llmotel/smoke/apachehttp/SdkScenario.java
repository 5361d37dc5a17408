package dev.llmotel.smoke.apachehttp;

import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A call through Spring AI, whose RestClient sends it with Apache HttpClient 5 (what Spring picks
 * when HttpClient 5 is on the classpath): still one LLM span, Spring AI's.
 */
final class SdkScenario {
  static String chat(String root, String scenario) {
    RestClient.Builder rest = RestClient.builder()
        .requestFactory(new HttpComponentsClientHttpRequestFactory(HttpClients.custom().disableAutomaticRetries().build()))
        .defaultHeader("x-fake-scenario", scenario);
    OpenAiApi api = OpenAiApi.builder().baseUrl(root).apiKey(ApacheHttpClientSmokeApp.KEY).restClientBuilder(rest).build();
    OpenAiChatModel model = OpenAiChatModel.builder().openAiApi(api)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build()).build();
    return model.call("Say hello");
  }

  private SdkScenario() {}
}
