package dev.llmotel.instrumentation.anthropic;

import com.anthropic.core.ClientOptions;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.HttpClient;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.core.RequestOptions;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.llmotel.testkit.bench.HookCostHarness;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * What llm-otel's own hooks cost per Anthropic Messages call: the exact start and end hooks the
 * advice calls, around a message parsed from real wire JSON, with a real SDK whose exporters drop
 * everything; and the time per event the stream wrapper adds to a stream of 1,000 events already in
 * memory. A figure to print, not a test: {@code benchmarks/run.sh} runs it per configuration.
 */
public final class AnthropicHookCostBenchmark {
  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "llm-otel hooks";
    OpenTelemetrySdk sdk = HookCostHarness.droppingSdk();
    ClientOptions options = ClientOptions.builder().httpClient(new NoHttpClient()).build();
    MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-20250514").maxTokens(256)
        .system("You are a support assistant for ACME. Answer briefly.")
        .addUserMessage("My order 4711 has not arrived; it was due yesterday.").temperature(0.2).build();
    Message message = parse("{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-20250514\",\"content\":[{\"type\":\"text\",\"text\":\"Sorry about that: "
        + "order 4711 ships today.\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{"
        + "\"input_tokens\":31,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":9}}",
        Message.class);
    HookCostHarness harness = new HookCostHarness();
    harness.measureCalls(() -> AnthropicCalls.endMessage(AnthropicCalls.startMessage(params, options, false), message, null));
    List<RawMessageStreamEvent> events = streamOf(HookCostHarness.STREAM_CHUNKS);
    harness.measureChunks(() -> consume(new ListStream(events)), () -> {
      Object state = AnthropicCalls.startMessage(params, options, true);
      consume((StreamResponse<?>) AnthropicCalls.wrapStream(state, new ListStream(events), null));
    });
    harness.print(label);
    sdk.close();
  }

  static <T> T parse(String json, Class<T> type) throws Exception {
    return ObjectMappers.jsonMapper().readValue(json, type);
  }

  /** A stream as the SDK hands it over: message_start, a text block of deltas, message_delta, message_stop. */
  private static List<RawMessageStreamEvent> streamOf(int events) throws Exception {
    List<RawMessageStreamEvent> out = new ArrayList<>();
    out.add(parse("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":"
        + "\"assistant\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":31,\"output_tokens\":1}}}", RawMessageStreamEvent.class));
    out.add(parse("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        RawMessageStreamEvent.class));
    for (int i = 0; i < events - 5; i++) {
      out.add(parse("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"word"
          + i + " \"}}", RawMessageStreamEvent.class));
    }
    out.add(parse("{\"type\":\"content_block_stop\",\"index\":0}", RawMessageStreamEvent.class));
    out.add(parse("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + (events - 5) + "}}", RawMessageStreamEvent.class));
    out.add(parse("{\"type\":\"message_stop\"}", RawMessageStreamEvent.class));
    return out;
  }

  private static long sink;

  private static void consume(StreamResponse<?> response) {
    try (StreamResponse<?> r = response) {
      r.stream().forEach(event -> sink += System.identityHashCode(event));
    }
  }

  /** A StreamResponse over events already in memory, so that only the wrapper's work differs. */
  private static final class ListStream implements StreamResponse<RawMessageStreamEvent> {
    private final List<RawMessageStreamEvent> events;

    ListStream(List<RawMessageStreamEvent> events) {
      this.events = events;
    }

    @Override
    public Stream<RawMessageStreamEvent> stream() {
      return events.stream();
    }

    @Override
    public void close() {}
  }

  /** The benchmark never sends anything. */
  private static final class NoHttpClient implements HttpClient {
    @Override
    public HttpResponse execute(HttpRequest request, RequestOptions requestOptions) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(HttpRequest request, RequestOptions requestOptions) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }

  private AnthropicHookCostBenchmark() {}
}
