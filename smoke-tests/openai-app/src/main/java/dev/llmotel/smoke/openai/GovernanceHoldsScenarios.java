package dev.llmotel.smoke.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The scenarios of the "governance holds" smoke test: bursts of threads against a rate limit and a
 * budget, a baggage flood through an inbound HTTP server, a call made from an async stream's
 * completion callback, an SDK call and a plain JDK HttpClient call sharing one budget, and the
 * policy file changed while the app runs. The policy file they expect is in
 * GovernanceHoldsSmokeTest.
 */
final class GovernanceHoldsScenarios {
  static final int BURST = 64;

  private final OpenAIClient client;
  private final OpenAIClientAsync asyncClient;
  private final String baseUrl;

  GovernanceHoldsScenarios(OpenAIClient client, OpenAIClientAsync asyncClient, String baseUrl) {
    this.client = client;
    this.asyncClient = asyncClient;
    this.baseUrl = baseUrl;
  }

  String run(String scenario) throws Exception {
    switch (scenario) {
      case "hold-rate-burst":
        return burst(scenario, "gpt-4.1-mini", null, 0);
      case "hold-budget-burst":
        return burst(scenario, "gpt-4o-mini", "burst", 1000);
      case "hold-callback":
        return callFromStreamCallback(scenario);
      case "hold-shared-budget":
        return sdkAndJdkClientShareABudget(scenario);
      case "hold-reload":
        return policyFileChangedWhileRunning(scenario);
      case "hold-baggage-flood":
        return baggageFlood(scenario);
      case "hold-trace-loop":
        return sameRequestInOneTrace(scenario);
      case "hold-trace-budget-burst":
        return traceBudgetBurst(scenario);
      case "hold-steady":
        return steadyCalls(scenario);
      default:
        throw new IllegalArgumentException("unknown scenario " + scenario);
    }
  }

  private ChatCompletionCreateParams.Builder chat(String scenario, String model, String text) {
    return ChatCompletionCreateParams.builder().model(ChatModel.of(model)).addUserMessage(text)
        .putAdditionalHeader("x-fake-scenario", scenario);
  }

  /** BURST threads released together, each making one call; counts what the app saw. */
  private String burst(String scenario, String model, String workflow, long maxTokens) throws Exception {
    Context context = workflow == null ? Context.current()
        : Context.current().with(Baggage.current().toBuilder().put("llm_otel.workflow", workflow).build());
    return burst(scenario, model, context, maxTokens, "");
  }

  /**
   * BURST threads released together, each making one call in {@code context}; counts what the app saw.
   * In a fleet (smoke.gate.dir set) the threads go only when the test opens the gate, for every replica
   * at once, and the app says each time how many of its calls have ended: the test holds the admitted
   * calls' answers until every call of the fleet has been admitted or refused.
   */
  private String burst(String scenario, String model, Context context, long maxTokens, String label)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(BURST);
    CyclicBarrier start = new CyclicBarrier(BURST, () -> awaitFleetGate(scenario));
    java.util.concurrent.atomic.AtomicInteger ended = new java.util.concurrent.atomic.AtomicInteger();
    // An answer the test holds must not time out in the SDK: its retry would be a second request.
    com.openai.core.RequestOptions patient = com.openai.core.RequestOptions.builder()
        .timeout(java.time.Duration.ofSeconds(120)).build();
    List<Future<String>> outcomes = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      final int n = i;
      outcomes.add(pool.submit(context.wrap(() -> {
        try {
          ChatCompletionCreateParams.Builder params = chat(scenario, model, "burst call number " + n + label);
          if (maxTokens > 0) params.maxCompletionTokens(maxTokens);
          start.await(170, TimeUnit.SECONDS);
          return outcome(() -> client.chat().completions().create(params.build(), patient));
        } finally {
          ended.incrementAndGet();
        }
      })));
    }
    if (System.getProperty("smoke.gate.dir") != null) {
      for (int said = -1; said < BURST; Thread.sleep(10)) {
        int n = ended.get();
        if (n != said) {
          System.out.println("BURST-ENDED " + scenario + " " + n);
          System.out.flush();
          said = n;
        }
      }
    }
    int ok = 0;
    int refused = 0;
    int other = 0;
    for (Future<String> f : outcomes) {
      String o = f.get(60, TimeUnit.SECONDS);
      if (o.equals("ok")) ok++;
      else if (o.equals("error " + RateLimitException.class.getName())) refused++;
      else other++;
    }
    pool.shutdown();
    return "ok=" + ok + " refused=" + refused + " other=" + other;
  }

  /** In a fleet: says the burst is ready, then waits until the test opens its gate (a file) for every replica. */
  private static void awaitFleetGate(String scenario) {
    String dir = System.getProperty("smoke.gate.dir");
    if (dir == null) return;
    System.out.println("GATE-WAIT " + scenario);
    System.out.flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(160);
    try {
      while (!Files.exists(Paths.get(dir, scenario))) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("the gate of " + scenario + " stayed shut");
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * One agent run whose calls land on every replica at the same time: the trace comes from the test
   * (smoke.trace-budget.traceparent), and each replica fires a burst in it, each call capped at 5,000
   * output tokens so that the trace budget fits a few estimates. Each replica's requests differ from the
   * others' (its JVM's name in the text), so the loop guard has no say.
   */
  private String traceBudgetBurst(String scenario) throws Exception {
    String[] tp = System.getProperty("smoke.trace-budget.traceparent").split("-");
    io.opentelemetry.api.trace.SpanContext remote = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
        tp[1], tp[2], io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault());
    io.opentelemetry.api.trace.Span step = io.opentelemetry.api.GlobalOpenTelemetry.getTracer("smoke-app")
        .spanBuilder("agent step").setParent(Context.root().with(io.opentelemetry.api.trace.Span.wrap(remote)))
        .startSpan();
    try {
      return burst(scenario, "gpt-4o-mini", Context.current().with(step), 5000,
          " from " + java.lang.management.ManagementFactory.getRuntimeMXBean().getName());
    } finally {
      step.end();
    }
  }

  /**
   * Blocking calls made inside an async stream's completion callback, as an agent chains its next
   * step: one through the SDK, one with the JDK's HttpClient (traced by llm-otel's copy in the
   * platform class loader, which sees the finished call only as another copy's).
   */
  private String callFromStreamCallback(String scenario) throws Exception {
    CompletableFuture<String> chained = new CompletableFuture<>();
    AsyncStreamResponse<ChatCompletionChunk> stream = asyncClient.chat().completions().createStreaming(
        chat(scenario, "gpt-4o-mini", "first, streamed")
            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    stream.subscribe(new AsyncStreamResponse.Handler<ChatCompletionChunk>() {
      @Override
      public void onNext(ChatCompletionChunk chunk) {}

      @Override
      public void onComplete(java.util.Optional<Throwable> error) {
        String sdk = outcome(() -> client.chat().completions().create(
            chat(scenario, "gpt-4o-mini", "second, from the callback").build()));
        chained.complete(sdk + " jdk=" + jdkChat(scenario, "gpt-4o-mini", 0, "third, from the callback"));
      }
    });
    stream.onCompleteFuture().get(30, TimeUnit.SECONDS);
    return "chained=" + chained.get(30, TimeUnit.SECONDS);
  }

  /**
   * The workflow "shared" has a budget that fits one call's estimate: the SDK's call spends it, and
   * the JDK HttpClient's call (traced by llm-otel's copy in the platform class loader) is refused by
   * that same spend.
   */
  private String sdkAndJdkClientShareABudget(String scenario) throws Exception {
    try (Scope ignored = Baggage.current().toBuilder().put("llm_otel.workflow", "shared").build().makeCurrent()) {
      String sdk = outcome(() -> client.chat().completions().create(
          chat(scenario, "gpt-4o", "shared budget call from the sdk").maxCompletionTokens(10).build()));
      return "sdk=" + sdk + " jdk=" + jdkChat(scenario, "gpt-4o", 10, "shared budget call from the jdk client");
    }
  }

  /** A chat request made with the JDK's HttpClient, no SDK: "ok" and the status, or the I/O error's class. */
  private String jdkChat(String scenario, String model, int maxTokens, String text) {
    String body = "{\"model\":\"" + model + "\"," + (maxTokens > 0 ? "\"max_tokens\":" + maxTokens + "," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
        .header("content-type", "application/json").header("authorization", "Bearer " + OpenAiSmokeApp.API_KEY)
        .header("x-fake-scenario", scenario).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      return "ok " + response.statusCode();
    } catch (java.io.IOException e) {
      return "error " + e.getClass().getName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "error " + e.getClass().getName();
    }
  }

  /**
   * The operator raises a rate limit in the policy file while the app runs; then writes a broken
   * file, which must not replace the version in force.
   */
  private String policyFileChangedWhileRunning(String scenario) throws Exception {
    Path file = Paths.get(System.getProperty("otel.instrumentation.llm-otel.policy-file"));
    String original = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Supplier<String> call = () -> outcome(() -> client.chat().completions().create(
        chat(scenario, "gpt-4.1", "reload " + System.nanoTime()).build()));
    StringBuilder out = new StringBuilder();
    out.append(call.get()).append(',').append(call.get());
    replace(file, original.replace("\"gpt-4.1\": 1", "\"gpt-4.1\": 5"));
    Thread.sleep(1500);
    out.append(',').append(call.get());
    replace(file, "{ \"rate_limit\": {\"mode\": \"enforce\", \"models\": {\"gpt-4.1\": 1}} broken");
    Thread.sleep(1500);
    out.append(',').append(call.get()).append(',').append(call.get());
    return out.toString();
  }

  /**
   * One agent run whose steps land on several replicas: the trace comes from the test
   * (smoke.traceparent, as an inbound request would bring it), and this replica sends the same
   * request three times in it. The loop guard counts the trace's repeats across the fleet.
   */
  private String sameRequestInOneTrace(String scenario) {
    String[] tp = System.getProperty("smoke.traceparent").split("-");
    io.opentelemetry.api.trace.SpanContext remote = io.opentelemetry.api.trace.SpanContext.createFromRemoteParent(
        tp[1], tp[2], io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault());
    io.opentelemetry.api.trace.Span step = io.opentelemetry.api.GlobalOpenTelemetry.getTracer("smoke-app")
        .spanBuilder("agent step").setParent(Context.root().with(io.opentelemetry.api.trace.Span.wrap(remote)))
        .startSpan();
    int ok = 0;
    int refused = 0;
    try (Scope ignored = step.makeCurrent()) {
      for (int i = 0; i < 3; i++) {
        String o = outcome(() -> client.chat().completions().create(
            chat(scenario, "gpt-4o-mini", "look up the order status again").build()));
        if (o.equals("ok")) ok++;
        else if (o.equals("error com.openai.errors.BadRequestException")) refused++;
      }
    } finally {
      step.end();
    }
    return "ok=" + ok + " refused=" + refused;
  }

  /**
   * Calls at a steady pace for 20 s, each through a limit the shared store decides, while the test
   * stops the store, starts it again and pauses it: the app must see every call succeed.
   */
  private String steadyCalls(String scenario) throws Exception {
    System.out.println("STEADY-START");
    System.out.flush();
    int ok = 0;
    int other = 0;
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int i = 0; System.nanoTime() < end; i++) {
      String o = outcome(() -> client.chat().completions().create(
          chat(scenario, "gpt-4.1-nano", "steady call " + System.nanoTime()).build()));
      if (o.equals("ok")) ok++;
      else other++;
      Thread.sleep(100);
    }
    return "ok=" + ok + " other=" + other;
  }

  private static void replace(Path file, String content) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * An inbound HTTP endpoint whose handler calls the model. 150 requests carry made-up workflow
   * baggage, as any client on the network could send; one carries a workflow the policy file declares.
   * Raw sockets, so that the agent's HTTP client instrumentation adds no baggage of its own.
   */
  private String baggageFlood(String scenario) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/flood", exchange -> {
      String result = outcome(() -> client.chat().completions().create(
          chat(scenario, "gpt-4o-mini", "flooded " + exchange.getRequestURI()).build()));
      byte[] body = result.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    int ok = 0;
    try {
      int port = server.getAddress().getPort();
      for (int i = 0; i < 150; i++) {
        if (get(port, "/flood/" + i, "llm_otel.workflow=made-up-" + i + ";trusted,llm_otel.prompt.version=evil-" + i)) ok++;
      }
      if (get(port, "/flood/declared", "llm_otel.workflow=declared-remote")) ok++;
    } finally {
      server.stop(0);
    }
    return "answered=" + ok;
  }

  private static boolean get(int port, String path, String baggage) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nbaggage: " + baggage
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] all = in.readAllBytes();
      String response = new String(all, StandardCharsets.UTF_8);
      return response.startsWith("HTTP/1.1 200") && response.endsWith("ok");
    }
  }

  static String outcome(Supplier<?> call) {
    try {
      call.get();
      return "ok";
    } catch (RuntimeException e) {
      return "error " + e.getClass().getName();
    }
  }
}
