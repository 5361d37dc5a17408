package dev.llmotel.testkit.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake LLM server speaking the providers' real HTTP wire formats, for tests and the demo.
 *
 * <p>Endpoints (POST):
 *
 * <ul>
 *   <li>OpenAI: {@code /v1/chat/completions} (JSON or SSE stream, text or one function tool call), {@code
 *       /v1/embeddings} (float or base64) and {@code /v1/responses} (JSON or SSE stream); the rules below.
 *   <li>Anthropic: {@code /v1/messages}, see {@link AnthropicWire}.
 *   <li>Google Gemini API and Vertex AI: {@code /v1beta/models/{model}:generateContent}, {@code
 *       :streamGenerateContent}, {@code :embedContent}, {@code :batchEmbedContents}, and {@code
 *       /v1/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent}, {@code
 *       :streamGenerateContent}, {@code :embedContent}, {@code :predict}; see {@link GeminiWire} (and
 *       {@link #GEMINI_PATH}, {@link #VERTEX_PATH}).
 *   <li>AWS Bedrock Runtime: {@code /model/{modelId}/converse}, {@code converse-stream} (binary event
 *       stream), {@code invoke} and {@code invoke-with-response-stream}; see {@link BedrockWire} (and
 *       {@link #BEDROCK_PATH}).
 * </ul>
 *
 * <p>Gemini and Bedrock take the model from the path, so only OpenAI and Anthropic bodies must name a
 * {@code model}. Paths under {@link #INTERNAL_API} ({@code /internal/...}, any method) play the app's own
 * backend, no LLM. Anything else gets a 404 with an OpenAI error body ({@code Invalid URL (GET /v1/x)}).
 * Every response carries {@code x-request-id: req_<n>} ({@code n} = 1-based arrival number since start or
 * {@link #reset()}) and {@code openai-processing-ms}; Bedrock answers also {@code x-amzn-RequestId}.
 *
 * <h2>Deterministic answers</h2>
 *
 * <ul>
 *   <li>{@code created} / {@code created_at} is always {@code 1735689600} (2025-01-01T00:00:00Z).
 *   <li>Ids use the arrival number {@code n}: {@code chatcmpl-fake-n}, {@code call_fake_n}, {@code
 *       resp_fake_n}, {@code msg_fake_n}, {@code fc_fake_n}.
 *   <li>Response model: the requested model, except aliases mapped to a dated snapshot like the real API
 *       ({@code gpt-4o-mini -> gpt-4o-mini-2024-07-18}, {@code gpt-4o -> gpt-4o-2024-08-06}, {@code
 *       gpt-4.1-mini -> gpt-4.1-mini-2025-04-14}, ...; see {@link #responseModel(String)}). Embeddings
 *       echo the model unchanged.
 *   <li>Answer text: {@code "Fake answer to: " + <first 60 chars of the last user message text, trimmed>};
 *       after a tool result (chat: last message role {@code tool}; Responses: a {@code
 *       function_call_output} item) {@code "Fake answer using tool result: " + <first 60 chars of it>}.
 *   <li>Tool calls: when function tools are offered, {@code tool_choice} is not {@code "none"} and there is
 *       no tool result yet, the answer is one call to the first function tool, with arguments filling each
 *       required property of its schema with a value that satisfies it (see {@link
 *       OpenAiWire#schemaValue}): string {@code "fake"} (or the first {@code enum} value), number/integer
 *       {@code 1} (within {@code minimum} / {@code maximum}), boolean {@code true}, an array of {@code
 *       minItems} (at least one) items, an object with its required properties filled the same way; the
 *       first plain string instead takes what the last user message asks about (its last capitalised word
 *       of two or more letters after the first word, punctuation stripped), so "What is the weather in
 *       Paris?" gives {@code {"city":"Paris"}}, and a question without one {@code {"city":"fake"}}.
 *   <li>Structured answers: when a request declares the structure of the answer (chat {@code
 *       response_format} {@code {type: json_schema, json_schema: {schema}}} or {@code {type: json_object}};
 *       Responses {@code text.format} {@code {type: json_schema, schema}} or {@code {type: json_object}};
 *       Anthropic, Gemini: see {@link AnthropicWire}, {@link GeminiWire}), the answer text is JSON in it: a
 *       value of the schema built like tool arguments (the subject included), or for {@code json_object}
 *       {@code {"answer": <the text above>}}; written with {@code ": "} and {@code ", "}, so it has words
 *       and streams in pieces like any text, and its tokens are its words.
 *   <li>Log-probabilities, when chat {@code logprobs} is true or Responses {@code include} has {@code
 *       message.output_text.logprobs}: one entry {@code {token, logprob: -0.05, bytes, top_logprobs: []}}
 *       per word piece of the text (see {@link Behaviour#unsure()}).
 *   <li>A "word" is a maximal run of non-whitespace characters. A message's text is its string {@code
 *       content}, or the {@code text} of each part of an array content.
 *   <li>Chat {@code prompt_tokens} = sum over messages of (4 + words of its text), see {@link
 *       #promptTokens(JsonNode)}. Responses {@code input_tokens} = the same over the input items (a string
 *       input is one item; the words of a {@code function_call_output} are those of its {@code output})
 *       plus (4 + words) for non-empty {@code instructions}, see {@link #inputTokens(JsonNode)}.
 *   <li>{@code completion_tokens} / {@code output_tokens} = words of the answer text, or for a tool call
 *       words of the arguments JSON + 1. Totals are the sums; cached/reasoning/audio details are 0.
 *   <li>Streams send the answer one word per delta, each word with its leading whitespace ({@code "Fake"},
 *       {@code " answer"}, ...); tool-call arguments stream in 8-character fragments.
 *   <li>Embeddings: {@code prompt_tokens = total_tokens} = sum of words of each string input (a token array
 *       counts its length); vectors have 8 dimensions (or {@code dimensions}), are unit length and derived
 *       from the input text only, identical in float and base64 (little-endian float32) encodings.
 * </ul>
 *
 * <h2>Scripting</h2>
 *
 * {@link #script(String, Behaviour...)} queues behaviours for requests carrying {@code x-fake-scenario:
 * <scenario>}; each such request takes the next one; other requests, and a scenario whose queue is empty,
 * get {@link Behaviour#ok()}. Errors come in each provider's format (OpenAI, Anthropic, Gemini {@code
 * {"error":{"code","message","status"}}}, Bedrock {@code x-amzn-ErrorType} + {@code {"message"}}). So do
 * the answers scripted for output checks: {@link Behaviour#answerText}, {@link Behaviour#toolArguments},
 * {@link Behaviour#cutAtTokenLimit()}, {@link Behaviour#refusal()}, {@link Behaviour#unsure()}.
 *
 * <p>Request headers are recorded (see {@link #requests()}) but never printed: they carry API keys.
 */
public final class FakeLlmServer implements AutoCloseable {

  /** Header naming the scenario whose scripted behaviours a request consumes. */
  public static final String SCENARIO_HEADER = "x-fake-scenario";

  /** Longest a {@link Behaviour#hang()} request is held if the server is never closed or reset. */
  private static final long MAX_HANG_MINUTES = 10;

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong sequence = new AtomicLong();
  /** The rate-limit headers every answer carries. */
  public static final String RATELIMIT_REMAINING_REQUESTS = "4999";
  public static final String RATELIMIT_REMAINING_TOKENS = "3999000";

  /** Cacheable prompt prefixes already written (Anthropic prompt caching). */
  private final java.util.Set<String> cachedPrefixes = new java.util.HashSet<>();
  private final List<RecordedRequest> records = Collections.synchronizedList(new ArrayList<>());
  private volatile Behaviour defaultBehaviour = Behaviour.ok();
  private volatile boolean recording = true;
  private final Map<String, Deque<Behaviour>> scripts = new HashMap<>();
  private final AtomicReference<CountDownLatch> hangRelease =
      new AtomicReference<>(new CountDownLatch(1));
  private volatile boolean closed;

  private FakeLlmServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on 127.0.0.1:{@code port} ({@code 0} picks a free port). */
  static {
    // Without TCP_NODELAY, headers and body go out as two small writes and Nagle's algorithm meets the
    // client's delayed ACK: every answer would take 40 ms. Read once, when the JDK server first loads.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  public static FakeLlmServer start(int port) {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-llm-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot bind fake LLM server to 127.0.0.1:" + port, e);
    }
    FakeLlmServer fake = new FakeLlmServer(http, executor);
    http.createContext("/", fake::handle);
    http.setExecutor(executor);
    http.start();
    return fake;
  }

  /** {@code http://127.0.0.1:<port>}; OpenAI clients use {@code baseUrl() + "/v1"}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Queues {@code steps} for requests carrying {@code x-fake-scenario: <scenario>}, replacing any steps
   * still queued for that scenario. Each request takes the next step; once they are used up, requests get
   * the normal behaviour.
   */
  public void script(String scenario, Behaviour... steps) {
    if (scenario == null) {
      throw new IllegalArgumentException("scenario is null");
    }
    for (Behaviour b : steps) {
      if (b == null) {
        throw new IllegalArgumentException("null behaviour in script " + scenario);
      }
    }
    synchronized (scripts) {
      scripts.put(scenario, new ArrayDeque<>(Arrays.asList(steps)));
    }
  }

  /** The schema name of a judge's request (llm-otel's online and offline evaluation). */
  public static final String JUDGE_SCHEMA = "llm_otel_evaluation";
  /** What the judge answers when no rule matches: a passing verdict. */
  public static final double DEFAULT_JUDGE_SCORE = 0.9;

  private final List<Object[]> judgeRules = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * How the judge answers a judge request (chat completions whose {@code response_format} is the
   * json_schema {@value #JUDGE_SCHEMA}) whose body contains {@code marker} (a question's words, an
   * evaluator's name: the judge's prompt names its evaluator as {@code "Evaluator: <name>."}): {@code
   * behaviour} (a {@link Behaviour#verdict}, an error, garbage text...) after {@code delayMillis}. Rules are
   * tried in the order added and stay until {@link #reset()}; a judge request no rule matches gets the
   * verdict {@value #DEFAULT_JUDGE_SCORE} "good" at once.
   */
  public void scriptJudge(String marker, Behaviour behaviour, long delayMillis) {
    judgeRules.add(new Object[] {marker, behaviour, delayMillis});
  }

  private static boolean isJudgeRequest(RecordedRequest r) {
    if (!r.body().contains(JUDGE_SCHEMA)) return false;
    try {
      return JUDGE_SCHEMA.equals(r.json().path("response_format").path("json_schema").path("name").asText());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Behaviour judgeBehaviour(String body) {
    for (Object[] rule : judgeRules) {
      if (body.contains((String) rule[0])) {
        long delay = (Long) rule[2];
        if (delay > 0) {
          try {
            Thread.sleep(delay);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return (Behaviour) rule[1];
      }
    }
    return Behaviour.verdict(DEFAULT_JUDGE_SCORE, "good", "Fake judge: the answer meets the rubric.");
  }

  /** Every request received since start or the last {@link #reset()}, in arrival order. */
  public List<RecordedRequest> requests() {
    synchronized (records) {
      return Collections.unmodifiableList(new ArrayList<>(records));
    }
  }

  /** The requests that carried {@code x-fake-scenario: <scenario>}, in arrival order. */
  public List<RecordedRequest> requests(String scenario) {
    List<RecordedRequest> out = new ArrayList<>();
    synchronized (records) {
      for (RecordedRequest r : records) {
        if (scenario != null && scenario.equals(r.scenario())) {
          out.add(r);
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Clears the scripts and the recorded requests, restarts the request numbering ({@code req_1}, ids
   * {@code ..._1}), and releases (drops) any request held by {@link Behaviour#hang()}.
   */
  public void reset() {
    synchronized (scripts) {
      scripts.clear();
    }
    judgeRules.clear();
    synchronized (records) {
      records.clear();
      sequence.set(0);
    }
    hangRelease.getAndSet(new CountDownLatch(1)).countDown();
  }

  /** Stops the server, dropping the connections of hanging and in-flight requests. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    hangRelease.get().countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** The token formula for chat messages: sum over messages of (4 + words of its text content). */
  public static int promptTokens(JsonNode messages) {
    return OpenAiWire.promptTokens(messages);
  }

  /**
   * The token formula for a Responses API request body: (4 + words) for non-empty {@code instructions} and
   * for each input item (a string input is one item).
   */
  public static int inputTokens(JsonNode responsesRequest) {
    return OpenAiWire.inputTokens(responsesRequest);
  }

  /** The model name the server reports for a requested model (dated snapshot for known aliases). */
  public static String responseModel(String requestedModel) {
    return OpenAiWire.responseModel(requestedModel);
  }

  /** Words as the token formulas count them: maximal runs of non-whitespace characters. */
  public static int words(String text) {
    return OpenAiWire.words(text);
  }

  /** Runs standalone: {@code --port N} (default 8089); serves until the process is killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = 8089;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ("--port".equals(a) && i + 1 < args.length) {
        port = Integer.parseInt(args[++i]);
      } else if (a.startsWith("--port=")) {
        port = Integer.parseInt(a.substring("--port=".length()));
      } else if ("--help".equals(a) || "-h".equals(a)) {
        System.out.println("usage: FakeLlmServer [--port N]   (default 8089, 0 = any free port)");
        return;
      } else {
        System.err.println("unknown argument: " + a);
        System.exit(2);
      }
    }
    FakeLlmServer fake = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close, "fake-llm-shutdown"));
    System.out.println("Fake LLM server listening on " + fake.baseUrl() + "/v1");
    System.out.flush();
    new CountDownLatch(1).await();
  }

  // ---------------------------------------------------------------------------------------------
  // Request handling
  // ---------------------------------------------------------------------------------------------

  /**
   * Thrown from the handler to make the JDK server drop the connection without finishing the response
   * (its exchange loop closes the connection on an exception from the handler).
   */
  private static final class DropConnection extends IOException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("fake LLM server drops the connection", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** The behaviour of requests no script covers ({@link Behaviour#ok()} unless set), e.g. chunks(1000). */
  public void setDefaultBehaviour(Behaviour behaviour) {
    this.defaultBehaviour = behaviour;
  }

  /** Turns request recording off for load and benchmarks, where the list would only grow. */
  public void setRecording(boolean recording) {
    this.recording = recording;
  }

  private Behaviour nextBehaviour(String scenario) {
    if (scenario == null) {
      return defaultBehaviour;
    }
    synchronized (scripts) {
      Deque<Behaviour> q = scripts.get(scenario);
      Behaviour b = q == null ? null : q.pollFirst();
      return b == null ? defaultBehaviour : b;
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    long startNanos = System.nanoTime();
    String body;
    try (InputStream in = ex.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue());
    }
    List<String> scenarioValues = headers.get(SCENARIO_HEADER);
    String scenario =
        scenarioValues == null || scenarioValues.isEmpty() ? null : scenarioValues.get(0).trim();
    RecordedRequest recorded =
        new RecordedRequest(method, path, ex.getRequestURI().getRawQuery(), headers, body, scenario);
    long seq;
    synchronized (records) {
      seq = sequence.incrementAndGet();
      if (recording) records.add(recorded);
    }
    Behaviour behaviour = scenario == null && isJudgeRequest(recorded) ? judgeBehaviour(body) : nextBehaviour(scenario);
    Exchange x = new Exchange(ex, seq, startNanos, recorded);
    try {
      x.run(behaviour);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DropConnection();
    }
  }

  /** One request being answered. */
  private final class Exchange {
    private final HttpExchange ex;
    private final long seq;
    private final long startNanos;
    private final RecordedRequest request;

    Exchange(HttpExchange ex, long seq, long startNanos, RecordedRequest request) {
      this.ex = ex;
      this.seq = seq;
      this.startNanos = startNanos;
      this.request = request;
    }

    private boolean corruptUtf8;
    /** Where {@link Behaviour#invalidUtf8()} puts its bytes: after the first such marker. */
    private String utf8Marker = "\"content\":\"";
    private Route route;
    /** The behaviour being served: what the answer builders apply to the normal answer (see scripted()). */
    private Behaviour behaviour = Behaviour.ok();

    void run(Behaviour b) throws IOException, InterruptedException {
      behaviour = b;
      String path = stripTrailingSlash(request.path());
      boolean post = "POST".equals(request.method());
      if (path.startsWith(INTERNAL_API)) {
        internalApi(b, path);
        return;
      }
      route = Route.of(stripTrailingSlash(ex.getRequestURI().getRawPath()), path);
      if (route == null || !post) {
        route = null;
        sendJson(
            404,
            OpenAiWire.error(
                "Invalid URL (" + request.method() + " " + path + ")",
                "invalid_request_error",
                null,
                null),
            null);
        return;
      }
      Endpoint endpoint = route.endpoint;
      Provider provider = endpoint.provider;
      if (provider == Provider.GEMINI || provider == Provider.BEDROCK) {
        utf8Marker = "\"text\":\"";
      }
      JsonNode req = request.json();
      boolean stream = endpoint.streamsByPath || req.path("stream").asBoolean(false);
      switch (b.kind()) {
        case RESET_CONNECTION:
        case HANG:
          dropOrHang(b);
          return;
        case ERROR:
          sendError(b.status(), req, b.retryAfter());
          return;
        case MALFORMED:
          sendRaw(200, "application/json", OpenAiWire.MALFORMED_BODY);
          return;
        case WRONG_SHAPE:
          sendRaw(200, "application/json", OpenAiWire.WRONG_SHAPE_BODY);
          return;
        case STREAM_CUT:
          if (!stream || endpoint.embeddings) {
            sendRaw(200, "application/json", OpenAiWire.MALFORMED_BODY);
            return;
          }
          break;
        case DELAY:
          Thread.sleep(b.millis());
          break;
        case HELD:
          awaitRelease(b.release());
          break;
        case INVALID_UTF8:
          corruptUtf8 = true;
          break;
        default:
          break;
      }
      int cutAfter = b.kind() == Behaviour.Kind.STREAM_CUT ? b.count() : -1;
      int reshape = b.kind() == Behaviour.Kind.CHUNKS ? b.count() : 0;
      if (!req.isObject()) {
        if (provider == Provider.GEMINI) {
          sendJson(400, GeminiWire.error(400, "Invalid JSON payload received."), null);
        } else if (provider == Provider.BEDROCK) {
          sendBedrockError(400, BedrockWire.messageFor(400), null);
        } else {
          sendJson(400, invalidJsonError(), null);
        }
        return;
      }
      // Gemini and Bedrock name the model in the path, not the body.
      if ((provider == Provider.OPENAI || provider == Provider.ANTHROPIC)
          && (!req.path("model").isTextual() || req.path("model").asText().isEmpty())) {
        sendJson(
            400,
            OpenAiWire.error(
                "you must provide a model parameter", "invalid_request_error", null, null),
            null);
        return;
      }
      switch (endpoint) {
        case CHAT:
          chat(req, stream, cutAfter, reshape);
          break;
        case EMBEDDINGS:
          embeddings(req);
          break;
        case RESPONSES:
          responses(req, stream, cutAfter, reshape);
          break;
        case MESSAGES:
          messages(req, stream, cutAfter);
          break;
        case GEMINI_GENERATE:
        case GEMINI_STREAM:
          geminiGenerate(req, stream, cutAfter, reshape);
          break;
        case GEMINI_EMBED:
        case GEMINI_BATCH_EMBED:
        case GEMINI_PREDICT:
          geminiEmbed(req);
          break;
        case CONVERSE:
        case CONVERSE_STREAM:
          converse(req, stream, cutAfter, reshape);
          break;
        case INVOKE:
        case INVOKE_STREAM:
          invoke(req, stream, cutAfter);
          break;
        default:
          throw new IllegalStateException(endpoint.name());
      }
    }

    /** A connection the server drops, or a request it never answers. */
    private void dropOrHang(Behaviour b) throws IOException, InterruptedException {
      if (b.kind() == Behaviour.Kind.RESET_CONNECTION) throw new DropConnection();
      hang();
    }

    /**
     * The app's own backend, no LLM ({@link #INTERNAL_API}): any method, a small JSON answer naming
     * the path, or the scripted error, dropped connection, delay or broken body, as a real service
     * fails; so a drill's http_faults can be compared with the real thing.
     */
    private void internalApi(Behaviour b, String path) throws IOException, InterruptedException {
      switch (b.kind()) {
        case RESET_CONNECTION:
        case HANG:
          dropOrHang(b);
          return;
        case ERROR:
          sendRaw(b.status(), "application/json", "{\"error\": {\"code\": " + b.status() + "}}");
          return;
        case MALFORMED:
          sendRaw(200, "application/json", "{\"items\": [{\"id\": ");
          return;
        case DELAY:
          Thread.sleep(b.millis());
          break;
        default:
          break;
      }
      sendRaw(200, "application/json", "{\"service\": \"internal\", \"path\": \"" + path.replace("\"", "")
          + "\", \"items\": [{\"id\": 7, \"status\": \"shipped\"}]}");
    }

    /**
     * Whether a call's arguments can go where the format carries them: scripted {@link
     * Behaviour#toolArguments} that are not JSON cannot be an Anthropic or Bedrock {@code input} or a Gemini
     * {@code args} object. If not, answers 400 in the provider's error format, naming the mistake.
     */
    private boolean argumentsFit(OpenAiWire.Answer answer) throws IOException {
      if (behaviour.kind() != Behaviour.Kind.TOOL_ARGUMENTS || !answer.isToolCall()
          || OpenAiWire.parseJson(answer.toolArguments) != null) {
        return true;
      }
      String message = "Fake LLM server: " + behaviour + " is not JSON; only OpenAI carries tool arguments as"
          + " text, this format needs a JSON value.";
      switch (route.endpoint.provider) {
        case ANTHROPIC:
          sendJson(400, AnthropicWire.error("invalid_request_error", message), null);
          break;
        case GEMINI:
          sendJson(400, GeminiWire.error(400, message), null);
          break;
        default:
          sendBedrockError(400, message, null);
      }
      return false;
    }

    /** A scripted {@link Behaviour#error(int, String)} in the provider's error format. */
    private void sendError(int status, JsonNode req, String retryAfter) throws IOException {
      switch (route.endpoint.provider) {
        case ANTHROPIC:
          sendJson(status, AnthropicWire.errorForStatus(status), retryAfter);
          break;
        case GEMINI:
          sendJson(status, GeminiWire.errorForStatus(status, retryAfter), retryAfter);
          break;
        case BEDROCK:
          sendBedrockError(status, BedrockWire.messageFor(status), retryAfter);
          break;
        default:
          sendJson(status, OpenAiWire.errorForStatus(status, req.path("model").asText("")), retryAfter);
      }
    }

    private void sendBedrockError(int status, String message, String retryAfter) throws IOException {
      ex.getResponseHeaders().set("x-amzn-ErrorType", BedrockWire.errorTypeHeader(BedrockWire.errorType(status)));
      sendJson(status, BedrockWire.error(message), retryAfter);
    }

    private void hang() throws IOException, InterruptedException {
      CountDownLatch release = hangRelease.get();
      if (!closed) {
        release.await(MAX_HANG_MINUTES, TimeUnit.MINUTES);
      }
      throw new DropConnection();
    }

    /** {@link Behaviour#heldUntil}: waits for the test's release; a close or reset first drops the connection. */
    private void awaitRelease(CountDownLatch release) throws IOException, InterruptedException {
      CountDownLatch dropped = hangRelease.get();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(MAX_HANG_MINUTES);
      while (!release.await(20, TimeUnit.MILLISECONDS)) {
        if (closed || dropped.getCount() == 0 || System.nanoTime() > deadline) {
          throw new DropConnection();
        }
      }
    }

    private void chat(JsonNode req, boolean stream, int cutAfter, int reshape) throws IOException {
      JsonNode messages = req.path("messages");
      if (!messages.isArray() || messages.size() == 0) {
        sendJson(
            400,
            OpenAiWire.error(
                "Missing required parameter: 'messages'.",
                "invalid_request_error",
                "messages",
                "missing_required_parameter"),
            null);
        return;
      }
      String model = OpenAiWire.responseModel(req.path("model").asText());
      OpenAiWire.Answer answer =
          OpenAiWire.scripted(OpenAiWire.chatAnswer(req, reshape), behaviour);
      if (!stream) {
        sendJson(200, OpenAiWire.chatCompletion(seq, model, answer), null);
        return;
      }
      boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
      OutputStream out = startStream();
      int sent = 0;
      for (ObjectNode chunk : OpenAiWire.chatChunks(seq, model, answer, includeUsage)) {
        if (sent == cutAfter) {
          throw cutStream();
        }
        writeFlush(out, "data: " + OpenAiWire.json(chunk) + "\n\n");
        sent++;
      }
      if (cutAfter >= 0) {
        throw cutStream();
      }
      writeFlush(out, "data: [DONE]\n\n");
      out.close();
      ex.close();
    }

    /**
     * Breaks a stream after what was sent had time to reach the client, as a real mid-stream failure
     * does; dropping at once can make the client discard the chunks it had not read yet.
     */
    private DropConnection cutStream() {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new DropConnection();
    }

    /** Anthropic's Messages API: see {@link AnthropicWire}. */
    private void messages(JsonNode req, boolean stream, int cutAfter) throws IOException {
      if (!req.path("messages").isArray() || req.path("messages").size() == 0 || !req.has("max_tokens")) {
        sendJson(400, AnthropicWire.error("invalid_request_error", "messages and max_tokens are required"), null);
        return;
      }
      AnthropicWire.Answer answer =
          AnthropicWire.scripted(AnthropicWire.answer(req, cachedPrefixes), behaviour);
      if (!argumentsFit(answer.content)) {
        return;
      }
      String model = req.path("model").asText();
      if (!stream) {
        sendJson(200, AnthropicWire.message(seq, model, answer), null);
        return;
      }
      OutputStream out = startStream();
      int sent = 0;
      for (AnthropicWire.Event e : AnthropicWire.events(seq, model, answer)) {
        if (sent == cutAfter) {
          throw cutStream();
        }
        writeFlush(out, e.sse());
        sent++;
      }
      if (cutAfter >= 0) {
        throw cutStream();
      }
      out.close();
      ex.close();
    }

    private void responses(JsonNode req, boolean stream, int cutAfter, int reshape)
        throws IOException {
      String model = OpenAiWire.responseModel(req.path("model").asText());
      OpenAiWire.Answer answer =
          OpenAiWire.scripted(OpenAiWire.responsesAnswer(req, reshape), behaviour);
      if (!stream) {
        sendJson(200, OpenAiWire.response(seq, model, req, answer, true), null);
        return;
      }
      OutputStream out = startStream();
      int sent = 0;
      for (OpenAiWire.Event e : OpenAiWire.responseEvents(seq, model, req, answer)) {
        if (sent == cutAfter) {
          throw cutStream();
        }
        writeFlush(out, "event: " + e.type + "\ndata: " + OpenAiWire.json(e.data) + "\n\n");
        sent++;
      }
      if (cutAfter >= 0) {
        throw cutStream();
      }
      out.close();
      ex.close();
    }

    /** Gemini {@code :generateContent} / {@code :streamGenerateContent}: see {@link GeminiWire}. */
    private void geminiGenerate(JsonNode req, boolean stream, int cutAfter, int reshape) throws IOException {
      if (!req.path("contents").isArray() || req.path("contents").size() == 0) {
        sendJson(400, GeminiWire.error(400, "* GenerateContentRequest.contents: contents is not specified"),
            null);
        return;
      }
      GeminiWire.Answer answer = GeminiWire.scripted(GeminiWire.answer(req, reshape), behaviour);
      if (!argumentsFit(answer.content)) {
        return;
      }
      if (!stream) {
        sendJson(200, GeminiWire.response(seq, route.model, route.vertex, answer), null);
        return;
      }
      OutputStream out = startStream("text/event-stream");
      int sent = 0;
      for (ObjectNode chunk : GeminiWire.chunks(seq, route.model, route.vertex, answer)) {
        if (sent == cutAfter) {
          throw cutStream();
        }
        writeFlush(out, "data: " + OpenAiWire.json(chunk) + "\r\n\r\n");
        sent++;
      }
      if (cutAfter >= 0) {
        throw cutStream();
      }
      out.close();
      ex.close();
    }

    /** Gemini {@code :embedContent}, {@code :batchEmbedContents} and Vertex {@code :predict}. */
    private void geminiEmbed(JsonNode req) throws IOException {
      ObjectNode body;
      switch (route.endpoint) {
        case GEMINI_EMBED:
          body = GeminiWire.embedContent(req, route.vertex);
          break;
        case GEMINI_BATCH_EMBED:
          body = GeminiWire.batchEmbedContents(req);
          break;
        default:
          body = GeminiWire.predict(req);
      }
      if (body == null) {
        sendJson(400, GeminiWire.error(400, "* EmbedContentRequest.content: content is not specified"), null);
        return;
      }
      sendJson(200, body, null);
    }

    /** Bedrock {@code converse} / {@code converse-stream}: see {@link BedrockWire}. */
    private void converse(JsonNode req, boolean stream, int cutAfter, int reshape) throws IOException {
      if (!req.path("messages").isArray() || req.path("messages").size() == 0) {
        sendBedrockError(400, "A conversation must start with a user message. Try again with a conversation"
            + " that starts with a user message.", null);
        return;
      }
      BedrockWire.Answer answer =
          BedrockWire.scripted(BedrockWire.answer(req, cachedPrefixes, reshape), behaviour);
      if (!argumentsFit(answer.content)) {
        return;
      }
      if (!stream) {
        sendJson(200, BedrockWire.converse(seq, answer), null);
        return;
      }
      OutputStream out = startStream(BedrockWire.EVENT_STREAM);
      int sent = 0;
      for (BedrockWire.Event e : BedrockWire.converseEvents(seq, answer)) {
        if (sent == cutAfter) {
          throw cutStream();
        }
        byte[] payload = corrupt(OpenAiWire.json(e.payload).getBytes(StandardCharsets.UTF_8));
        writeFlush(out, BedrockWire.frame(e.type, payload));
        sent++;
      }
      if (cutAfter >= 0) {
        throw cutStream();
      }
      out.close();
      ex.close();
    }

    /** Bedrock {@code invoke} / {@code invoke-with-response-stream}: Anthropic Messages or Titan embeddings. */
    private void invoke(JsonNode req, boolean stream, int cutAfter) throws IOException {
      String modelId = route.model;
      if (BedrockWire.isAnthropic(modelId, req)) {
        if (!req.path("messages").isArray() || req.path("messages").size() == 0 || !req.has("max_tokens")) {
          sendBedrockError(400, "Malformed input request: messages and max_tokens are required, please"
              + " reformat your input and try again.", null);
          return;
        }
        AnthropicWire.Answer answer =
            AnthropicWire.scripted(AnthropicWire.answer(req, cachedPrefixes), behaviour);
        if (!argumentsFit(answer.content)) {
          return;
        }
        String model = BedrockWire.anthropicModel(modelId);
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(answer.inputTokens));
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Output-Token-Count",
            Integer.toString(answer.content.outputTokens));
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Invocation-Latency", Long.toString(BedrockWire.LATENCY_MS));
        if (!stream) {
          sendJson(200, AnthropicWire.message(seq, model, answer), null);
          return;
        }
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Content-Type", "application/json");
        OutputStream out = startStream(BedrockWire.EVENT_STREAM);
        int sent = 0;
        List<AnthropicWire.Event> events = AnthropicWire.events(seq, model, answer);
        for (AnthropicWire.Event e : events) {
          if (sent == cutAfter) {
            throw cutStream();
          }
          if (sent == events.size() - 1) {
            e.data.set("amazon-bedrock-invocationMetrics", BedrockWire.invocationMetrics(answer));
          }
          byte[] event = corrupt(OpenAiWire.json(e.data).getBytes(StandardCharsets.UTF_8));
          writeFlush(out, BedrockWire.frame("chunk", BedrockWire.chunkPayload(event)));
          sent++;
        }
        if (cutAfter >= 0) {
          throw cutStream();
        }
        out.close();
        ex.close();
        return;
      }
      if (BedrockWire.isTitanEmbedding(modelId, req) && !stream) {
        ObjectNode body = BedrockWire.titanEmbedding(req);
        if (body == null) {
          sendBedrockError(400, "Malformed input request: #: required key [inputText] not found, please"
              + " reformat your input and try again.", null);
          return;
        }
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Input-Token-Count",
            Integer.toString(body.path("inputTextTokenCount").asInt()));
        ex.getResponseHeaders().set("X-Amzn-Bedrock-Invocation-Latency", Long.toString(BedrockWire.LATENCY_MS));
        sendJson(200, body, null);
        return;
      }
      sendBedrockError(400, (stream ? "The model is unsupported for streaming." : "The fake LLM server"
          + " answers InvokeModel for Anthropic and Titan text embedding models only, not " + modelId + "."),
          null);
    }

    private void embeddings(JsonNode req) throws IOException {
      JsonNode input = req.path("input");
      List<JsonNode> inputs = OpenAiWire.embeddingInputs(input);
      if (inputs.isEmpty()) {
        sendJson(
            400,
            OpenAiWire.error(
                "'input' is a required property and must be a non-empty string or array",
                "invalid_request_error",
                "input",
                null),
            null);
        return;
      }
      int dims = req.path("dimensions").asInt(OpenAiWire.DEFAULT_EMBEDDING_DIMENSIONS);
      if (dims < 1 || dims > 4096) {
        sendJson(
            400,
            OpenAiWire.error(
                "Invalid value for 'dimensions': must be between 1 and 4096.",
                "invalid_request_error",
                "dimensions",
                null),
            null);
        return;
      }
      boolean base64 = "base64".equals(req.path("encoding_format").asText("float"));
      sendJson(
          200,
          OpenAiWire.embeddings(req.path("model").asText(), inputs, dims, base64),
          null);
    }

    private ObjectNode invalidJsonError() {
      return OpenAiWire.error(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using"
              + " your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent"
              + " was not valid JSON. If you have trouble figuring out how to fix this, please contact"
              + " us through our help center at help.openai.com.)",
          "invalid_request_error",
          null,
          null);
    }

    private void commonHeaders(String contentType) {
      ex.getResponseHeaders().set("content-type", contentType);
      if (route != null && route.endpoint.provider == Provider.BEDROCK) {
        ex.getResponseHeaders().set("x-amzn-RequestId", BedrockWire.requestId(seq));
      }
      ex.getResponseHeaders().set("x-request-id", "req_" + seq);
      ex.getResponseHeaders().set("request-id", "req_" + seq); // Anthropic's name for it
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      ex.getResponseHeaders().set("openai-processing-ms", Long.toString(ms));
      ex.getResponseHeaders().set("openai-version", "2020-10-01");
      ex.getResponseHeaders().set("openai-organization", "org-fake");
      // OpenAI's rate-limit headers, fixed values (what a plain HTTP client layer adds to the span).
      ex.getResponseHeaders().set("x-ratelimit-remaining-requests", RATELIMIT_REMAINING_REQUESTS);
      ex.getResponseHeaders().set("x-ratelimit-remaining-tokens", RATELIMIT_REMAINING_TOKENS);
    }

    private void sendJson(int status, JsonNode body, String retryAfter) throws IOException {
      if (retryAfter != null) {
        ex.getResponseHeaders().set("retry-after", retryAfter);
      }
      sendRaw(status, "application/json", OpenAiWire.json(body));
    }

    private void sendRaw(int status, String contentType, String body) throws IOException {
      byte[] bytes = corrupt(body.getBytes(StandardCharsets.UTF_8));
      commonHeaders(contentType);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
      ex.close();
    }

    private OutputStream startStream() throws IOException {
      return startStream("text/event-stream; charset=utf-8");
    }

    private OutputStream startStream(String contentType) throws IOException {
      commonHeaders(contentType);
      ex.getResponseHeaders().set("cache-control", "no-cache");
      ex.sendResponseHeaders(200, 0);
      return ex.getResponseBody();
    }

    /** For {@link Behaviour#invalidUtf8()}: bytes that no UTF-8 decoder accepts, once per response. */
    private byte[] corrupt(byte[] bytes) {
      if (!corruptUtf8) return bytes;
      byte[] marker = utf8Marker.getBytes(StandardCharsets.UTF_8);
      int at = indexOf(bytes, marker);
      if (at < 0) return bytes;
      corruptUtf8 = false;
      byte[] bad = {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE};
      int insert = at + marker.length;
      byte[] out = new byte[bytes.length + bad.length];
      System.arraycopy(bytes, 0, out, 0, insert);
      System.arraycopy(bad, 0, out, insert, bad.length);
      System.arraycopy(bytes, insert, out, insert + bad.length, bytes.length - insert);
      return out;
    }

    private void writeFlush(OutputStream out, String s) throws IOException {
      out.write(corrupt(s.getBytes(StandardCharsets.UTF_8)));
      out.flush();
    }

    /** Writes bytes as they are (event-stream frames, whose payload was corrupted before framing). */
    private void writeFlush(OutputStream out, byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private enum Provider {
    OPENAI,
    ANTHROPIC,
    GEMINI,
    BEDROCK
  }

  private enum Endpoint {
    CHAT(Provider.OPENAI, false, false),
    EMBEDDINGS(Provider.OPENAI, false, true),
    RESPONSES(Provider.OPENAI, false, false),
    MESSAGES(Provider.ANTHROPIC, false, false),
    GEMINI_GENERATE(Provider.GEMINI, false, false),
    GEMINI_STREAM(Provider.GEMINI, true, false),
    GEMINI_EMBED(Provider.GEMINI, false, true),
    GEMINI_BATCH_EMBED(Provider.GEMINI, false, true),
    GEMINI_PREDICT(Provider.GEMINI, false, true),
    CONVERSE(Provider.BEDROCK, false, false),
    CONVERSE_STREAM(Provider.BEDROCK, true, false),
    INVOKE(Provider.BEDROCK, false, false),
    INVOKE_STREAM(Provider.BEDROCK, true, false);

    final Provider provider;
    /** Streams because of the path (Gemini, Bedrock), not a {@code stream} field in the body. */
    final boolean streamsByPath;
    final boolean embeddings;

    Endpoint(Provider provider, boolean streamsByPath, boolean embeddings) {
      this.provider = provider;
      this.streamsByPath = streamsByPath;
      this.embeddings = embeddings;
    }

    static Endpoint openAiOrAnthropic(String path) {
      switch (path) {
        case "/v1/chat/completions":
          return CHAT;
        case "/v1/embeddings":
          return EMBEDDINGS;
        case "/v1/responses":
          return RESPONSES;
        case "/v1/messages":
          return MESSAGES;
        default:
          return null;
      }
    }

    static Endpoint gemini(String method) {
      switch (method) {
        case "generateContent":
          return GEMINI_GENERATE;
        case "streamGenerateContent":
          return GEMINI_STREAM;
        case "embedContent":
          return GEMINI_EMBED;
        case "batchEmbedContents":
          return GEMINI_BATCH_EMBED;
        case "predict":
          return GEMINI_PREDICT;
        default:
          return null;
      }
    }

    static Endpoint bedrock(String operation) {
      switch (operation) {
        case "converse":
          return CONVERSE;
        case "converse-stream":
          return CONVERSE_STREAM;
        case "invoke":
          return INVOKE;
        case "invoke-with-response-stream":
          return INVOKE_STREAM;
        default:
          return null;
      }
    }
  }

  /** Gemini API: {@code /v1beta/models/{model}:{method}} (also v1, v1alpha, tunedModels). */
  public static final Pattern GEMINI_PATH =
      Pattern.compile("/(?:v1beta|v1|v1alpha)/(?:models|tunedModels)/([^/:]+):([A-Za-z]+)");

  /**
   * Vertex AI: {@code /v1/projects/{p}/locations/{l}/publishers/{publisher}/models/{model}:{method}} (also
   * v1beta1, and without project and location as in express mode).
   */
  public static final Pattern VERTEX_PATH =
      Pattern.compile(
          "/(?:v1beta1|v1)/(?:projects/[^/]+/locations/[^/]+/)?publishers/[^/]+/models/([^/:]+):([A-Za-z]+)");

  /** Paths under this are the app's own backend (a database, an internal API), not an LLM: see internalApi. */
  public static final String INTERNAL_API = "/internal/";

  /** Bedrock Runtime: {@code /model/{modelId}/{operation}}, matched on the raw path (ids hold %3A, %2F). */
  public static final Pattern BEDROCK_PATH =
      Pattern.compile("/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)");

  /** What a request path names: the endpoint, and for Gemini and Bedrock the model from the path. */
  private static final class Route {
    final Endpoint endpoint;
    final String model;
    final boolean vertex;

    Route(Endpoint endpoint, String model, boolean vertex) {
      this.endpoint = endpoint;
      this.model = model;
      this.vertex = vertex;
    }

    /** {@code rawPath} still percent-encoded, {@code path} decoded; null if no endpoint matches. */
    static Route of(String rawPath, String path) {
      Endpoint e = Endpoint.openAiOrAnthropic(path);
      if (e != null) {
        return new Route(e, null, false);
      }
      Matcher m = VERTEX_PATH.matcher(path);
      if (m.matches() && Endpoint.gemini(m.group(2)) != null) {
        return new Route(Endpoint.gemini(m.group(2)), m.group(1), true);
      }
      m = GEMINI_PATH.matcher(path);
      if (m.matches() && Endpoint.gemini(m.group(2)) != null) {
        return new Route(Endpoint.gemini(m.group(2)), m.group(1), false);
      }
      m = BEDROCK_PATH.matcher(rawPath);
      if (m.matches()) {
        return new Route(Endpoint.bedrock(m.group(2)), percentDecode(m.group(1)), false);
      }
      return null;
    }
  }

  /** Decodes {@code %XX} escapes as UTF-8 (a {@code +} stays a plus, unlike form decoding). */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    java.io.ByteArrayOutputStream escaped = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (lo >= 0) {
        escaped.write(hi * 16 + lo);
        i += 2;
      } else {
        out.append(new String(escaped.toByteArray(), StandardCharsets.UTF_8));
        escaped.reset();
        out.append(c);
      }
    }
    return out.append(new String(escaped.toByteArray(), StandardCharsets.UTF_8)).toString();
  }
}
