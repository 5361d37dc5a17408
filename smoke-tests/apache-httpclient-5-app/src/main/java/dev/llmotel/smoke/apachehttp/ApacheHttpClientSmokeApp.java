package dev.llmotel.smoke.apachehttp;

import dev.llmotel.smoke.support.RawBodies;
import dev.llmotel.smoke.support.ScenarioLoop;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * A legacy agent that talks to LLM APIs with Apache HttpClient 5's classic client directly, no SDK,
 * run under the real agent by the smoke tests (and without it, for the byte-for-byte comparison).
 */
public final class ApacheHttpClientSmokeApp {
  static final String KEY = "sk-apache-http-smoke-test-secret-0123456789abcdef";

  // The app retries itself (the retried-429 scenario); the client's own retry of 429s is off.
  private final CloseableHttpClient client = HttpClients.custom().disableAutomaticRetries().build();
  // The client's default retry strategy: one more attempt after a 429 or 503, inside one execute.
  private final CloseableHttpClient retryingClient = HttpClients.createDefault();
  private final String root;
  private final String localhostRoot;

  ApacheHttpClientSmokeApp(String baseUrl) {
    this.root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    this.localhostRoot = root.replace("127.0.0.1", "localhost");
  }

  public static void main(String[] args) {
    ApacheHttpClientSmokeApp app = new ApacheHttpClientSmokeApp(args[0]);
    ScenarioLoop.runAll(args, app::run);
  }

  HttpPost post(String scenario, String url, String json) {
    HttpPost post = new HttpPost(url);
    post.setHeader("Authorization", "Bearer " + KEY);
    post.setHeader("x-api-key", KEY);
    post.setHeader("x-fake-scenario", scenario);
    post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
    return post;
  }

  String read(HttpPost request) throws Exception {
    try (CloseableHttpResponse response = client.execute(request)) {
      return RawBodies.describe(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
    }
  }

  int status(HttpPost request) throws Exception {
    try (CloseableHttpResponse response = client.execute(request)) {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    }
  }

  String run(String scenario) throws Exception {
    String chat = root + "/v1/chat/completions";
    switch (scenario) {
      // The app's own backend (no LLM), as a tool or a RAG step calls it: what a drill's http_faults reach.
      case "internal-get":
      case "internal-down":
      case "internal-cut": {
        org.apache.hc.client5.http.classic.methods.HttpGet get =
            new org.apache.hc.client5.http.classic.methods.HttpGet(root + "/internal/orders/7");
        get.setHeader("x-fake-scenario", scenario);
        try (CloseableHttpResponse response = client.execute(get)) {
          return RawBodies.describe(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
        }
      }
      case "chat":
      case "large-response":
        return read(post(scenario, chat, RawBodies.chat("Say hello", false)));
      case "chat-handler":
        // execute with a response handler: the client reads and releases the body around the handler.
        return client.execute(post(scenario, chat, RawBodies.chat("Say hello", false)),
            response -> {
              try {
                return RawBodies.describe(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
              } catch (java.io.IOException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
      case "chat-client-retry":
        try (CloseableHttpResponse response = retryingClient.execute(post(scenario, chat, RawBodies.chat("Say hello", false)))) {
          return RawBodies.describe(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
        }
      case "chat-stream":
        return read(post(scenario, chat, RawBodies.chat("Tell me a short story", true)));
      case "chat-stream-abandoned": {
        try (CloseableHttpResponse response = client.execute(post(scenario, chat, RawBodies.chat("Tell me a short story", true)))) {
          BufferedReader reader = new BufferedReader(new InputStreamReader(response.getEntity().getContent(),
              StandardCharsets.UTF_8));
          StringBuilder lines = new StringBuilder();
          for (int i = 0; i < 3; i++) lines.append(reader.readLine()).append('\n');
          return RawBodies.describe(response.getCode(), lines.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      case "body-never-read": {
        try (CloseableHttpResponse response = client.execute(post(scenario, chat, RawBodies.chat("Say hello", false)))) {
          return "status=" + response.getCode();
        }
      }
      case "body-read-once": {
        HttpPost post = post(scenario, chat, "");
        byte[] json = RawBodies.chat("Say hello", false).getBytes(StandardCharsets.UTF_8);
        post.setEntity(new InputStreamEntity(new ByteArrayInputStream(json), json.length, ContentType.APPLICATION_JSON));
        return read(post);
      }
      case "custom-endpoint":
        return read(post(scenario, localhostRoot + "/v1/chat/completions", RawBodies.chat("Say hello", false)));
      case "embeddings":
        return read(post(scenario, root + "/v1/embeddings", RawBodies.EMBEDDINGS));
      case "anthropic":
        return read(post(scenario, root + "/v1/messages", RawBodies.ANTHROPIC));
      case "gemini":
        return read(post(scenario, root + "/v1beta/models/gemini-2.5-flash:generateContent?key=" + KEY,
            RawBodies.gemini("Say hello")));
      case "gemini-stream":
        return read(post(scenario, root + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=" + KEY,
            RawBodies.gemini("Tell me a short story")));
      case "retried-429": {
        StringBuilder outcomes = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
          try (CloseableHttpResponse response = client.execute(post(scenario, chat, RawBodies.chat("Say hello", false)))) {
            EntityUtils.consume(response.getEntity());
            outcomes.append(attempt == 0 ? "" : ",").append(response.getCode());
            if (response.getCode() < 400) break;
          }
        }
        return outcomes.toString();
      }
      case "sdk-chat":
        return SdkScenario.chat(root, scenario);
      case "gov-big-prompt":
        return read(post(scenario, chat, RawBodies.chat(RawBodies.huge(), false)));
      case "lookalike-messaging":
        return RawBodies.lookAlikeMessaging((url, body) -> status(post(scenario, url, body)));
      case "lookalike-others":
        return RawBodies.lookAlikeOthers((url, body) -> status(post(scenario, url, body)));
      case "unread-body-repeated": {
        // Five identical chat calls whose body llm-otel cannot read before sending: traced, never refused.
        byte[] json = RawBodies.chat("Say hello", false).getBytes(StandardCharsets.UTF_8);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          HttpPost post = post(scenario, chat, "");
          post.setEntity(new InputStreamEntity(new ByteArrayInputStream(json), json.length, ContentType.APPLICATION_JSON));
          statuses.add(status(post));
        }
        return RawBodies.statuses(statuses);
      }
      default:
        // Structured output: the request declares its answer's structure (see RawBodies.structuredUrl).
        if (scenario.startsWith("out-")) {
          return read(post(scenario, RawBodies.structuredUrl(root, KEY, scenario), RawBodies.structuredBody(scenario)));
        }
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }
}
