package dev.llmotel.smoke.okhttp;

import dev.llmotel.smoke.support.RawBodies;
import dev.llmotel.smoke.support.ScenarioLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
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

  // RequestBody.create(MediaType, String): the signature OkHttp 3 to 5 share.
  Request post(String scenario, String url, String json) {
    return post(scenario, url, RequestBody.create(JSON, json));
  }

  Request post(String scenario, String url, RequestBody body) {
    return new Request.Builder().url(url).header("Authorization", "Bearer " + KEY).header("x-api-key", KEY)
        .header("x-fake-scenario", scenario).post(body).build();
  }

  /** A body OkHttp may write only once (3.14 and later): llm-otel cannot read it before it is sent. */
  static RequestBody oneShot(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return new RequestBody() {
      @Override
      public MediaType contentType() {
        return JSON;
      }

      @Override
      public long contentLength() {
        return bytes.length;
      }

      @Override
      public void writeTo(BufferedSink sink) throws IOException {
        sink.write(bytes);
      }

      // No @Override: OkHttp 3.12, which this source is also built against, has no isOneShot.
      public boolean isOneShot() {
        return true;
      }
    };
  }

  int status(Request request) throws Exception {
    try (Response response = client.newCall(request).execute()) {
      response.body().bytes();
      return response.code();
    }
  }

  String read(Request request) throws Exception {
    try (Response response = client.newCall(request).execute()) {
      return RawBodies.describe(response.code(), response.body().bytes());
    }
  }

  String run(String scenario) throws Exception {
    String chat = root + "/v1/chat/completions";
    switch (scenario) {
      // The app's own backend (no LLM), as a tool or a RAG step calls it: what a drill's http_faults reach.
      // The query carries a token, which no span may show.
      case "internal-get":
      case "internal-slow":
      case "internal-cut":
        return read(new Request.Builder().url(root + "/internal/orders/7?token=secret-in-query")
            .header("x-fake-scenario", scenario).get().build());
      case "chat":
      case "large-response":
        return read(post(scenario, chat, RawBodies.chat("Say hello", false)));
      case "chat-enqueued": {
        CompletableFuture<String> result = new CompletableFuture<>();
        client.newCall(post(scenario, chat, RawBodies.chat("Say hello", false))).enqueue(new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            result.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            try (Response r = response) {
              result.complete(RawBodies.describe(r.code(), r.body().bytes()));
            } catch (Exception e) {
              result.completeExceptionally(e);
            }
          }
        });
        return result.get(30, TimeUnit.SECONDS);
      }
      case "chat-stream":
        return read(post(scenario, chat, RawBodies.chat("Tell me a short story", true)));
      case "chat-stream-abandoned": {
        try (Response response = client.newCall(post(scenario, chat, RawBodies.chat("Tell me a short story", true))).execute()) {
          BufferedSource source = response.body().source();
          StringBuilder lines = new StringBuilder();
          for (int i = 0; i < 3; i++) lines.append(source.readUtf8LineStrict()).append('\n');
          return RawBodies.describe(response.code(), lines.toString().getBytes(StandardCharsets.UTF_8));
        }
      }
      case "body-never-read": {
        try (Response response = client.newCall(post(scenario, chat, RawBodies.chat("Say hello", false))).execute()) {
          return "status=" + response.code();
        }
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
        // The app's own retry loop: the same request again after a 429.
        StringBuilder outcomes = new StringBuilder();
        for (int attempt = 0; attempt < 3; attempt++) {
          try (Response response = client.newCall(post(scenario, chat, RawBodies.chat("Say hello", false))).execute()) {
            response.body().bytes();
            outcomes.append(attempt == 0 ? "" : ",").append(response.code());
            if (response.isSuccessful()) break;
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
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) statuses.add(status(post(scenario, chat, oneShot(RawBodies.chat("Say hello", false)))));
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
