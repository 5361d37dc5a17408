package dev.llmotel.smoke.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.StreamResponse;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A busy service: {@code THREADS} worker threads each make {@code CALLS} chat calls, a third each
 * blocking, async and streamed, every worker inside its own app span "load worker N". It prints what
 * it saw (calls, failures, token sums, per-call latency percentiles, heap after GC) and how often a
 * sampled worker thread was inside the telemetry exporter's code, which must be never: export runs
 * on the agent's own threads, whatever state the backend is in.
 * Usage: {@code BASE_URL THREADS CALLS PROMPT_CHARS [watch]}; the stack watch costs a safepoint
 * every 10 ms, so the pure load test runs without it.
 */
public final class OpenAiLoadApp {
  public static void main(String[] args) throws Exception {
    String baseUrl = args[0];
    int threads = Integer.parseInt(args[1]);
    int calls = Integer.parseInt(args[2]);
    int promptChars = Integer.parseInt(args[3]);
    boolean watchStacks = args.length > 4 && args[4].equals("watch");
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(OpenAiSmokeApp.API_KEY)
        .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    OpenAIClientAsync asyncClient = OpenAIOkHttpClientAsync.builder().baseUrl(baseUrl)
        .apiKey(OpenAiSmokeApp.API_KEY).maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    StringBuilder prompt = new StringBuilder("Summarise this load test note. ");
    while (prompt.length() < promptChars) prompt.append("note ");
    ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addSystemMessage("You are a load test.").addUserMessage(prompt.toString()).build();
    ChatCompletionCreateParams stream = chat.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    Tracer tracer = GlobalOpenTelemetry.getTracer("smoke-load-app");

    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong inputTokens = new AtomicLong();
    AtomicLong outputTokens = new AtomicLong();
    long[][] latencies = new long[threads][calls];
    CountDownLatch done = new CountDownLatch(threads);
    List<Thread> workers = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      final int worker = t;
      Thread thread = new Thread(() -> {
        Span span = tracer.spanBuilder("load worker " + worker).startSpan();
        try (Scope ignored = span.makeCurrent()) {
          for (int i = 0; i < calls; i++) {
            long begin = System.nanoTime();
            try {
              long[] usage;
              switch (i % 3) {
                case 0:
                  usage = usage(client.chat().completions().create(chat));
                  break;
                case 1:
                  usage = usage(asyncClient.chat().completions().create(chat).get(60, TimeUnit.SECONDS));
                  break;
                default:
                  usage = streamUsage(client, stream);
                  break;
              }
              inputTokens.addAndGet(usage[0]);
              outputTokens.addAndGet(usage[1]);
              ok.incrementAndGet();
            } catch (Exception e) {
              failed.incrementAndGet();
            }
            latencies[worker][i] = System.nanoTime() - begin;
          }
        } finally {
          span.end();
          done.countDown();
        }
      }, "load-worker-" + t);
      workers.add(thread);
    }
    ExporterWatch watch = new ExporterWatch(workers);
    workers.forEach(Thread::start);
    if (watchStacks) watch.start();
    done.await();
    long elapsed = System.nanoTime() - start;
    if (watchStacks) watch.stop();

    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    System.out.println("LOAD calls=" + (ok.get() + failed.get()) + " ok=" + ok.get() + " failed=" + failed.get()
        + " input_tokens=" + inputTokens.get() + " output_tokens=" + outputTokens.get()
        + " seconds=" + String.format(java.util.Locale.ROOT, "%.1f", elapsed / 1e9)
        + " p50_ms=" + millis(all, 0.50) + " p99_ms=" + millis(all, 0.99) + " max_ms=" + millis(all, 1.0)
        + " heap_after_gc_mb=" + memory.getHeapMemoryUsage().getUsed() / (1024 * 1024)
        + " stack_samples=" + watch.samples + " samples_in_exporter=" + watch.inExporter
        + (watch.example == null ? "" : " example=" + watch.example));
    System.out.flush();
    if (watchStacks) {
      // The exporter tests point the agent at a backend that is down or hangs: the SDK's shutdown would
      // retry it for its full timeout, after the calls this run measures. Nothing is expected to arrive.
      Runtime.getRuntime().halt(0);
    }
    System.exit(0);
  }

  private static String millis(long[] sorted, double quantile) {
    if (sorted.length == 0) return "0";
    int index = (int) Math.min(sorted.length - 1, Math.round(quantile * (sorted.length - 1)));
    return String.format(java.util.Locale.ROOT, "%.2f", sorted[index] / 1e6);
  }

  private static long[] usage(ChatCompletion completion) {
    return completion.usage().map(u -> new long[] {u.promptTokens(), u.completionTokens()}).orElse(new long[2]);
  }

  private static long[] streamUsage(OpenAIClient client, ChatCompletionCreateParams params) {
    long[] usage = new long[2];
    try (StreamResponse<ChatCompletionChunk> response = client.chat().completions().createStreaming(params)) {
      response.stream().forEach(chunk -> chunk.usage().ifPresent(u -> {
        usage[0] = u.promptTokens();
        usage[1] = u.completionTokens();
      }));
    }
    return usage;
  }

  /**
   * Samples the workers' stacks every 10 ms and counts samples with a frame of the OTLP exporter or
   * the span processor's export path: an application thread that waits for the backend.
   */
  private static final class ExporterWatch implements Runnable {
    private final long[] ids;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Thread thread = new Thread(this, "exporter-watch");
    private volatile boolean running = true;
    long samples;
    long inExporter;
    String example;

    ExporterWatch(List<Thread> workers) {
      ids = workers.stream().mapToLong(Thread::getId).toArray();
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    @Override
    public void run() {
      while (running) {
        for (ThreadInfo info : threads.getThreadInfo(ids, Integer.MAX_VALUE)) {
          if (info == null) continue;
          samples++;
          for (StackTraceElement frame : info.getStackTrace()) {
            String c = frame.getClassName();
            String m = frame.getMethodName();
            // Handing a span to the processor's queue (Worker.addSpan) is expected and never blocks; the
            // export itself (exporter classes, a batch export, a flush) must never run here.
            if (c.startsWith("io.opentelemetry.exporter.")
                || (c.contains("BatchSpanProcessor") && (m.equals("exportCurrentBatch") || m.contains("lush")))
                || (c.contains("Exporter") && m.equals("export"))) {
              inExporter++;
              if (example == null) example = c + "." + frame.getMethodName();
              break;
            }
          }
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private OpenAiLoadApp() {}
}
