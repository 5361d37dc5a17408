package dev.llmotel.smoke.lc4jboot;

import org.springframework.boot.web.client.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tells the fake LLM server which scenario each model request belongs to (its x-fake-scenario header
 * selects scripted behaviour and groups the requests for the test). The models are the starter's, so
 * the header goes onto the RestClient.Builder the starter builds their HTTP clients from.
 *
 * <p>The name is one process-wide value, not a thread-bound one: a streamed agent run sends its
 * follow-up request from the HTTP client's executor thread, and the scenarios run one at a time.
 */
@Configuration
public class FakeScenario {
  static final String HEADER = "x-fake-scenario";

  private static volatile String current;

  static void set(String scenario) {
    current = scenario;
  }

  @Bean
  RestClientCustomizer fakeScenarioHeader() {
    return builder -> builder.defaultRequest(request -> request.headers(headers -> {
      String scenario = current;
      if (scenario != null) headers.set(HEADER, scenario);
    }));
  }
}
