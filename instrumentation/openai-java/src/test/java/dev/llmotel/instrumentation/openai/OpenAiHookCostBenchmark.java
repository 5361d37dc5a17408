package dev.llmotel.instrumentation.openai;

import com.openai.core.ClientOptions;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.Collection;
import java.util.Locale;

/**
 * What llm-otel's own hooks cost per OpenAI chat call, measured without the network and without the
 * agent's noise: the exact start and end hooks that the advice calls, around a response parsed from
 * real wire JSON, with a real SDK (batched span export and periodic metric export to exporters that
 * drop everything). The end-to-end JMH figures on a 2-core machine move by more than this between
 * runs; this figure does not. A figure to print, not a test: {@code benchmarks/run.sh} runs it once
 * per configuration (system properties: capture on, policies in monitor mode). It prints the time and
 * bytes per non-streaming call, and the time per chunk that the stream wrapper adds to a stream of
 * 1,000 chunks already in memory.
 */
public final class OpenAiHookCostBenchmark {
  private static final int WARMUP = 200_000;
  private static final int MEASURED = 200_000;
  private static final int ROUNDS = 7;

  public static void main(String[] args) throws Exception {
    String label = args.length > 0 ? args[0] : "llm-otel hooks";
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(new DroppingSpans()).build()).build())
        .setMeterProvider(SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(new DroppingMetrics())
                .setInterval(Duration.ofSeconds(10)).build()).build())
        .buildAndRegisterGlobal();
    ClientOptions options = ClientOptions.builder().httpClient(new NoHttpClient()).apiKey("sk-benchmark")
        .baseUrl("https://api.openai.com/v1").build();
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a support assistant for ACME. Answer briefly.")
        .addUserMessage("My order 4711 has not arrived; it was due yesterday.")
        .temperature(0.2).build();
    ChatCompletion completion = ChatCompletionMapperTest.parse("{\"id\":\"chatcmpl-1\",\"object\":"
        + "\"chat.completion\",\"created\":1732000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Sorry about that: order 4711 ships today.\","
        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":31,"
        + "\"completion_tokens\":9,\"total_tokens\":40}}", ChatCompletion.class);

    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    double[] nanos = new double[ROUNDS];
    double[] bytes = new double[ROUNDS];
    for (int round = 0; round < ROUNDS; round++) {
      run(params, options, completion, WARMUP);
      long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
      long start = System.nanoTime();
      run(params, options, completion, MEASURED);
      nanos[round] = (System.nanoTime() - start) / (double) MEASURED;
      bytes[round] = (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore)
          / (double) MEASURED;
    }
    double[] chunkNanos = new double[ROUNDS];
    ChatCompletionCreateParams streamParams = params.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    List<ChatCompletionChunk> chunks = streamOf(STREAM_CHUNKS);
    for (int round = 0; round < ROUNDS; round++) {
      double bare = 0;
      double traced = 0;
      for (int i = 0; i < STREAMS; i++) {
        long start = System.nanoTime();
        consume(new ListStream(chunks));
        long middle = System.nanoTime();
        Object state = OpenAiCalls.startChat(streamParams, options, true);
        consume((StreamResponse<?>) OpenAiCalls.wrapChatStream(state, new ListStream(chunks), null));
        long end = System.nanoTime();
        bare += middle - start;
        traced += end - middle;
      }
      chunkNanos[round] = (traced - bare) / STREAMS / STREAM_CHUNKS;
    }
    System.out.printf(Locale.ROOT, "HOOK_COST | %s | %.2f | %.2f | %.3f | %s |%n", label, median(nanos) / 1000.0,
        median(bytes) / 1024.0, median(chunkNanos) / 1000.0,
        Arrays.toString(Arrays.stream(nanos).mapToLong(Math::round).toArray()));
    sdk.close();
  }

  private static final int STREAM_CHUNKS = 1000;
  private static final int STREAMS = 500;

  /** A stream as the SDK hands it over: a role chunk, content chunks, a finish chunk, a usage chunk. */
  private static List<ChatCompletionChunk> streamOf(int contentChunks) throws Exception {
    String head = "{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[";
    List<ChatCompletionChunk> out = new ArrayList<>();
    out.add(ChatCompletionMapperTest.parse(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"finish_reason\":null}]}", ChatCompletionChunk.class));
    for (int i = 0; i < contentChunks - 3; i++) {
      out.add(ChatCompletionMapperTest.parse(head + "{\"index\":0,\"delta\":{\"content\":\"word" + i + " \"},"
          + "\"finish_reason\":null}]}", ChatCompletionChunk.class));
    }
    out.add(ChatCompletionMapperTest.parse(head + "{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
        ChatCompletionChunk.class));
    out.add(ChatCompletionMapperTest.parse(head + "],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":"
        + (contentChunks - 3) + ",\"total_tokens\":" + (contentChunks + 28) + "}}", ChatCompletionChunk.class));
    return out;
  }

  private static long sink;

  private static void consume(StreamResponse<?> response) {
    try (StreamResponse<?> r = response) {
      r.stream().forEach(chunk -> sink += System.identityHashCode(chunk));
    }
  }

  /** A StreamResponse over chunks already in memory, so that only the wrapper's work differs. */
  private static final class ListStream implements StreamResponse<ChatCompletionChunk> {
    private final List<ChatCompletionChunk> chunks;

    ListStream(List<ChatCompletionChunk> chunks) {
      this.chunks = chunks;
    }

    @Override
    public Stream<ChatCompletionChunk> stream() {
      return chunks.stream();
    }

    @Override
    public void close() {}
  }

  private static void run(ChatCompletionCreateParams params, ClientOptions options, ChatCompletion completion,
      int calls) {
    for (int i = 0; i < calls; i++) {
      Object state = OpenAiCalls.startChat(params, options, false);
      OpenAiCalls.endChat(state, completion, null);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static final class DroppingSpans implements SpanExporter {
    @Override public CompletableResultCode export(Collection<SpanData> spans) { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
  }

  private static final class DroppingMetrics implements MetricExporter {
    @Override public CompletableResultCode export(Collection<MetricData> metrics) { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
    @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
    @Override public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return AggregationTemporality.CUMULATIVE;
    }
  }

  private OpenAiHookCostBenchmark() {}
}
