package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.testkit.bench.HookCostHarness;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * What the plain-HTTP layer costs per LLM call made with OkHttp directly: llm-otel's interceptor
 * around a chat completion whose JSON body the app reads in full, from memory (the request body
 * read and parsed, the span started, the response tapped and parsed, the span ended), with a real
 * SDK whose exporters drop everything; and the time per SSE event it adds to a stream of 1,000
 * events already in memory, against reading the same bytes without it. A figure to print, not a
 * test: {@code benchmarks/run.sh} runs it per configuration.
 */
public final class OkHttpHookCostBenchmark {
  static final MediaType JSON = MediaType.get("application/json");
  static final MediaType SSE = MediaType.get("text/event-stream");

  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "llm-otel hooks";
    OpenTelemetrySdk sdk = HookCostHarness.droppingSdk();
    Request chat = request("{\"model\":\"gpt-4o-mini\",\"temperature\":0.2,\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are a support assistant for ACME. Answer briefly.\"},"
        + "{\"role\":\"user\",\"content\":\"My order 4711 has not arrived; it was due yesterday.\"}]}");
    byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1735689600,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"Sorry about that: order 4711 ships today.\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":9,\"total_tokens\":40}}")
        .getBytes(StandardCharsets.UTF_8);
    HookCostHarness harness = new HookCostHarness();
    harness.measureCalls(() -> read(OkHttpCalls.INSTANCE, new CannedChain(chat, JSON, body)));

    Request stream = request("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a story\"}]}");
    byte[] events = sse(HookCostHarness.STREAM_CHUNKS);
    harness.measureChunks(() -> read(null, new CannedChain(stream, SSE, events)),
        () -> read(OkHttpCalls.INSTANCE, new CannedChain(stream, SSE, events)));
    harness.print(label);
    sdk.close();
  }

  private static Request request(String json) {
    return new Request.Builder().url("https://api.openai.com/v1/chat/completions")
        .header("Authorization", "Bearer sk-benchmark").post(RequestBody.create(JSON, json)).build();
  }

  /** A stream of chat completion chunks: deltas, the finish reason, the usage chunk, [DONE]. */
  private static byte[] sse(int events) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < events - 3; i++) {
      out.append("data: {\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word").append(i).append(" \"}}]}\n\n");
    }
    out.append("data: {\"id\":\"chatcmpl-s\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
    out.append("data: {\"id\":\"chatcmpl-s\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":")
        .append(events - 3).append("}}\n\n");
    out.append("data: [DONE]\n\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long sink;

  /** The app's side: the call through the interceptor (or none), its body read to the end in 8 KB reads, closed. */
  private static void read(Interceptor interceptor, CannedChain chain) {
    try (Response response = interceptor == null ? chain.proceed(chain.request()) : interceptor.intercept(chain)) {
      okio.BufferedSource source = response.body().source();
      Buffer into = new Buffer();
      long n;
      while ((n = source.read(into, 8192)) != -1) {
        sink += n;
        into.clear();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rest of OkHttp's chain: answers from memory. */
  private static final class CannedChain implements Interceptor.Chain {
    private final Request request;
    private final MediaType type;
    private final byte[] body;

    CannedChain(Request request, MediaType type, byte[] body) {
      this.request = request;
      this.type = type;
      this.body = body;
    }

    @Override public Request request() { return request; }

    @Override
    public Response proceed(Request request) {
      return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(200).message("OK")
          .header("content-type", type.toString()).header("x-ratelimit-remaining-tokens", "149000")
          .body(ResponseBody.create(type, body)).build();
    }

    @Override public Connection connection() { return null; }
    @Override public Call call() { throw new UnsupportedOperationException(); }
    @Override public int connectTimeoutMillis() { return 10_000; }
    @Override public Interceptor.Chain withConnectTimeout(int timeout, TimeUnit unit) { return this; }
    @Override public int readTimeoutMillis() { return 10_000; }
    @Override public Interceptor.Chain withReadTimeout(int timeout, TimeUnit unit) { return this; }
    @Override public int writeTimeoutMillis() { return 10_000; }
    @Override public Interceptor.Chain withWriteTimeout(int timeout, TimeUnit unit) { return this; }
  }

  private OkHttpHookCostBenchmark() {}
}
