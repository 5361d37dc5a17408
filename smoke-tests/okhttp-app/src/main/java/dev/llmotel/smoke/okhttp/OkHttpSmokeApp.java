package dev.llmotel.smoke.okhttp;

import dev.llmotel.smoke.support.ScenarioLoop;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * A legacy agent that talks to LLM APIs with OkHttp directly, no SDK, run under the real agent by
 * the smoke tests (and without it, for the byte-for-byte comparison): chat completions blocking and
 * enqueued, streams read fully and abandoned, a body never read, embeddings, Anthropic and Gemini
 * formats, a host configured as a custom endpoint, its own retry loop around a 429, a response
 * larger than llm-otel's copy, and a call the policies refuse. Each result names what the app read:
 * status, byte count and SHA-256 of the body, and the usage the body reported.
 */
public final class OkHttpSmokeApp {
  static final MediaType JSON = MediaType.get("application/json");
  static final String KEY = "sk-okhttp-smoke-test-secret-0123456789abcdef";

  private final OkHttpClient client = new OkHttpClient.Builder().readTimeout(30, TimeUnit.SECONDS).build();
  private final String root;
  private final String localhostRoot;

  OkHttpSmokeApp(String baseUrl) {
    this.root = baseUrl.endsWith("/v1") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    this.localhostRoot = root.replace("127.0.0.1", "localhost");
  }

  public static void main(String[] args) {
    OkHttpSmokeApp app = new OkHttpSmokeApp(args[0]);
    ScenarioLoop.runAll(args, app::run);
  }

  Request post(String scenario, String url, String json) {
    return new Request.Builder().url(url).header("Authorization", "Bearer " + KEY).header("x-api-key", KEY)
        .header("x-fake-scenario", scenario).post(RequestBody.create(json, JSON)).build();
  }

  static String chatBody(String text, boolean stream) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "") + "}";
  }

  /** What the app read: status, bytes, their SHA-256 and the usage numbers the body carried. */
  static String describe(int status, byte[] body) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    StringBuilder hex = new StringBuilder();
    for (byte b : sha.digest(body)) hex.append(String.format("%02x", b));
    String text = new String(body, "UTF-8");
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

  String read(Request request) throws Exception {
    try (Response response = client.newCall(request).execute()) {
      return describe(response.code(), response.body().bytes());
    }
  }

  String run(String scenario) throws Exception {
    String chat = root + "/v1/chat/completions";
    switch (scenario) {
      case "chat":
      case "large-response":
        return read(post(scenario, chat, chatBody("Say hello", false)));
      case "chat-enqueued": {
        CompletableFuture<String> result = new CompletableFuture<>();
        client.newCall(post(scenario, chat, chatBody("Say hello", false))).enqueue(new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            try (Response r = response) {
              result.complete(describe(r.code(), r.body().bytes()));
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          }
        });
        return result.get(30, TimeUnit.SECONDS);
      }
      case "chat-stream":
        return read(post(scenario, chat, chatBody("Tell me a short story", true)));
      case "chat-stream-abandoned": {
        try (Response response = client.newCall(post(scenario, chat, chatBody("Tell me a short story", true))).execute()) {
          BufferedSource source = response.body().source();
          StringBuilder lines = new StringBuilder();
          for (int i = 0; i < 3; i++) lines.append(source.readUtf8LineStrict()).append('\n');
          return "status=" + response.code() + " read=" + lines.length();
        }
      }
      case "body-never-read": {
        try (Response response = client.newCall(post(scenario, chat, chatBody("Say hello", false))).execute()) {
          return "status=" + response.code();
        }
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
        // The app's own retry loop: the same request again after a 429.
        StringBuilder outcomes = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
          try (Response response = client.newCall(post(scenario, chat, chatBody("Say hello", false))).execute()) {
            response.body().bytes();
            outcomes.append(attempt == 0 ? "" : ",").append(response.code());
            if (response.isSuccessful()) break;
          }
        }
        return outcomes.toString();
      }
      case "sdk-chat":
        return SdkScenario.chat(root, scenario);
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
