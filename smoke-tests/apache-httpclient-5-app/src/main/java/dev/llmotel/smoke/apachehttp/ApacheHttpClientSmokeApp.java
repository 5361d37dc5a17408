package dev.llmotel.smoke.apachehttp;

import dev.llmotel.smoke.support.ScenarioLoop;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  static String chatBody(String text, boolean stream) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  static String describe(int status, byte[] body) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    StringBuilder hex = new StringBuilder();
    for (byte b : sha.digest(body)) hex.append(String.format("%02x", b));
    String text = new String(body, StandardCharsets.UTF_8);
    return "status=" + status + " bytes=" + body.length + " sha256=" + hex + " usage=" + last(text,
        "\"(prompt_tokens|input_tokens|promptTokenCount)\":(\\d+)") + "/" + last(text,
        "\"(completion_tokens|output_tokens|candidatesTokenCount)\":(\\d+)");
  }

  private static String last(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    String found = "-";
    while (m.find()) found = m.group(2);
    return found;
  }

  String read(HttpPost request) throws Exception {
    try (CloseableHttpResponse response = client.execute(request)) {
      return describe(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
    }
  }

  String run(String scenario) throws Exception {
    String chat = root + "/v1/chat/completions";
    switch (scenario) {
      case "chat":
      case "large-response":
        return read(post(scenario, chat, chatBody("Say hello", false)));
      case "chat-handler":
        // execute with a response handler: the client reads and releases the body around the handler.
        return client.execute(post(scenario, chat, chatBody("Say hello", false)),
            response -> {
              try {
                return describe(response.getCode(), EntityUtils.toByteArray(response.getEntity()));
              } catch (java.io.IOException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
      case "chat-stream":
        return read(post(scenario, chat, chatBody("Tell me a short story", true)));
      case "chat-stream-abandoned": {
        try (CloseableHttpResponse response = client.execute(post(scenario, chat, chatBody("Tell me a short story", true)))) {
          BufferedReader reader = new BufferedReader(new InputStreamReader(response.getEntity().getContent(),
              StandardCharsets.UTF_8));
          int read = 0;
          for (int i = 0; i < 3; i++) read += reader.readLine().length() + 1;
          return "status=" + response.getCode() + " read=" + read;
        }
      }
      case "body-never-read": {
        try (CloseableHttpResponse response = client.execute(post(scenario, chat, chatBody("Say hello", false)))) {
          return "status=" + response.getCode();
        }
      }
      case "body-read-once": {
        HttpPost post = post(scenario, chat, "");
        byte[] json = chatBody("Say hello", false).getBytes(StandardCharsets.UTF_8);
        post.setEntity(new InputStreamEntity(new ByteArrayInputStream(json), json.length, ContentType.APPLICATION_JSON));
        return read(post);
      }
      case "custom-endpoint":
        return read(post(scenario, localhostRoot + "/v1/chat/completions", chatBody("Say hello", false)));
      case "embeddings":
        return read(post(scenario, root + "/v1/embeddings",
            "{\"model\":\"text-embedding-3-small\",\"input\":\"The quick brown fox\"}"));
      case "anthropic":
        return read(post(scenario, root + "/v1/messages", "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":256,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"));
      case "gemini":
        return read(post(scenario, root + "/v1beta/models/gemini-2.5-flash:generateContent?key=" + KEY,
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Say hello\"}]}]}"));
      case "gemini-stream":
        return read(post(scenario, root + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=" + KEY,
            "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Tell me a short story\"}]}]}"));
      case "retried-429": {
        StringBuilder outcomes = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
          try (CloseableHttpResponse response = client.execute(post(scenario, chat, chatBody("Say hello", false)))) {
            EntityUtils.consume(response.getEntity());
            outcomes.append(attempt == 0 ? "" : ",").append(response.getCode());
            if (response.getCode() < 400) break;
          }
        }
        return outcomes.toString();
      }
      case "gov-big-prompt": {
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 20_000; i++) huge.append("lorem ");
        return read(post(scenario, chat, chatBody(huge.toString(), false)));
      }
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }
}
