package dev.llmotel.smoke.lc4jboot;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.llmotel.smoke.support.ScenarioLoop;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot web service built like LangChain4j's customer-support-agent-example and
 * spring-boot-example, run under the real agent by the smoke tests: a customer support agent (tools,
 * chat memory per session, RAG over documents embedded by a local model), a blocking assistant and a
 * Flux-streaming one, each behind a Spring MVC endpoint. The OpenAI models come from the LangChain4j
 * starter's properties and send over Spring's RestClient, which Spring Boot builds on Reactor Netty
 * because webflux is on the classpath.
 *
 * <p>Once the web server is up, each scenario calls the app's own endpoints over HTTP inside an app
 * span "scenario NAME" (see {@link ScenarioLoop}), so every LLM call sits under a real server span
 * with its route. Arguments: the fake LLM server's OpenAI base URL, then the scenarios.
 */
@SpringBootApplication
public class LangChain4jSpringBootSmokeApp implements CommandLineRunner {
  static final String API_KEY = "sk-smoke-test-secret-key-0123456789abcdef";
  static final String MODEL = "gpt-4o-mini";

  private final Environment environment;
  private final ApplicationContext context;

  public LangChain4jSpringBootSmokeApp(Environment environment, ApplicationContext context) {
    this.environment = environment;
    this.context = context;
  }

  public static void main(String[] args) {
    // The local embedding model runs on DJL, which must not reach the network (usage tracking, downloads).
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("ai.djl.offline", "true");
    SpringApplication app = new SpringApplication(LangChain4jSpringBootSmokeApp.class);
    app.setDefaultProperties(properties(args[0]));
    app.run(args);
  }

  /** The configuration an application.properties would hold, with the fake server as the OpenAI endpoint. */
  static Map<String, Object> properties(String openAiBaseUrl) {
    Map<String, Object> p = new HashMap<>();
    p.put("spring.main.banner-mode", "off");
    p.put("server.port", "0");
    for (String model : new String[] {"chat-model", "streaming-chat-model"}) {
      String prefix = "langchain4j.open-ai." + model + ".";
      p.put(prefix + "base-url", openAiBaseUrl);
      p.put(prefix + "api-key", API_KEY);
      p.put(prefix + "model-name", MODEL);
    }
    // Structured outputs: AI services returning a type declare its JSON Schema (strict) as the response format.
    p.put("langchain4j.open-ai.chat-model.supported-capabilities", "RESPONSE_FORMAT_JSON_SCHEMA");
    p.put("langchain4j.open-ai.chat-model.strict-json-schema", "true");
    return p;
  }

  @Override
  public void run(String... args) {
    int port = Integer.parseInt(environment.getRequiredProperty("local.server.port"));
    OutputScenarios outputs = new OutputScenarios(context.getBean("openAiChatModel", ChatModel.class),
        context.getBean("openAiStreamingChatModel", StreamingChatModel.class));
    ScenarioLoop.runAll(args, new SelfClient("http://127.0.0.1:" + port, outputs)::run);
  }
}
