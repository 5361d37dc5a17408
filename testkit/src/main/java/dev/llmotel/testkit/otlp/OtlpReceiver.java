package dev.llmotel.testkit.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An in-process OTLP/HTTP (protobuf) receiver for tests and the demo: point the agent at {@link
 * #endpoint()} with {@code -Dotel.exporter.otlp.protocol=http/protobuf}. It accepts POST {@code
 * /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} (plain or gzip), decodes them, and also keeps
 * every raw (decompressed) request body so a test can prove a secret never left the process.
 * Thread-safe.
 */
public final class OtlpReceiver implements AutoCloseable {
  private static final String PROTOBUF = "application/x-protobuf";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Object lock = new Object();

  // All guarded by lock.
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<ReceivedMetric> metrics = new ArrayList<>();
  private final List<String> logBodies = new ArrayList<>();
  private final List<ReceivedLogRecord> logRecords = new ArrayList<>();
  private final List<byte[]> rawBodies = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long totalRawBytes;
  private int requestCount;

  private volatile Consumer<ReceivedSpan> spanListener;
  private volatile Predicate<ReceivedSpan> retainedSpans = s -> true;
  private volatile boolean retainRawBodies = true;
  private long spansReceived;

  private OtlpReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a receiver on 127.0.0.1 with an ephemeral port. */
  public static OtlpReceiver start() {
    return start(0);
  }

  /** Starts a receiver on 127.0.0.1:port (0 for an ephemeral port). */
  public static OtlpReceiver start(int port) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "otlp-receiver-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new IllegalStateException("cannot bind OTLP receiver to 127.0.0.1:" + port, e);
    }
    OtlpReceiver receiver = new OtlpReceiver(server, executor);
    server.createContext("/", receiver::handle);
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  /** {@code http://127.0.0.1:<port>}, the value for {@code otel.exporter.otlp.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Registers a listener called (on a receiver thread) for every span as it arrives. */
  public OtlpReceiver onSpan(Consumer<ReceivedSpan> listener) {
    this.spanListener = listener;
    return this;
  }

  /**
   * For load tests: keeps only the spans that match (the listener still sees every span) and no raw
   * bodies, so that a million spans cost counters, not memory.
   */
  public OtlpReceiver retainOnly(Predicate<ReceivedSpan> spans) {
    this.retainedSpans = spans;
    this.retainRawBodies = false;
    return this;
  }

  /** Spans received since start or the last {@link #clear()}, retained or not. */
  public long spansReceived() {
    synchronized (lock) {
      return spansReceived;
    }
  }

  /** Forgets everything received so far. */
  public void clear() {
    synchronized (lock) {
      spans.clear();
      metrics.clear();
      logBodies.clear();
      logRecords.clear();
      rawBodies.clear();
      errors.clear();
      totalRawBytes = 0;
      requestCount = 0;
      spansReceived = 0;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- spans

  /** Every span received, in arrival order (a copy). */
  public List<ReceivedSpan> spans() {
    synchronized (lock) {
      return new ArrayList<>(spans);
    }
  }

  public List<ReceivedSpan> spans(Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ReceivedSpan s : spans()) {
      if (filter.test(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * Waits until at least {@code atLeast} received spans match {@code filter} or the timeout passes,
   * then returns the matching spans (possibly fewer than asked for; never throws on timeout).
   */
  public List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> filter, int atLeast, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ReceivedSpan> matching = spans(filter);
      long remainingMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (matching.size() >= atLeast || remainingMs <= 0) {
        return matching;
      }
      synchronized (lock) {
        try {
          lock.wait(Math.min(remainingMs, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return spans(filter);
        }
      }
    }
  }

  /** Spans of one trace, in arrival order. */
  public List<ReceivedSpan> trace(String traceId) {
    return spans(s -> s.traceId().equals(traceId));
  }

  /** Distinct trace ids, in order of first arrival. */
  public List<String> traceIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (ReceivedSpan s : spans()) {
      ids.add(s.traceId());
    }
    return new ArrayList<>(ids);
  }

  /** Direct children of {@code parent}, sorted by start time. */
  public List<ReceivedSpan> children(ReceivedSpan parent) {
    List<ReceivedSpan> out =
        spans(s -> s.traceId().equals(parent.traceId()) && s.parentSpanId().equals(parent.spanId()));
    out.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
    return out;
  }

  /** The parent of {@code child}, if it is a child and its parent was received. */
  public Optional<ReceivedSpan> parent(ReceivedSpan child) {
    if (child.parentSpanId().isEmpty()) {
      return Optional.empty();
    }
    return spans(s -> s.traceId().equals(child.traceId()) && s.spanId().equals(child.parentSpanId()))
        .stream()
        .findFirst();
  }

  // ---------------------------------------------------------------- metrics

  /** Every metric of every batch received, in arrival order. */
  public List<ReceivedMetric> metrics() {
    synchronized (lock) {
      return new ArrayList<>(metrics);
    }
  }

  /** Every received batch of the named metric, in arrival order. */
  public List<ReceivedMetric> metrics(String name) {
    List<ReceivedMetric> out = new ArrayList<>();
    for (ReceivedMetric m : metrics()) {
      if (m.name().equals(name)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Distinct metric names received, in order of first arrival. */
  public List<String> metricNames() {
    Set<String> names = new LinkedHashSet<>();
    for (ReceivedMetric m : metrics()) {
      names.add(m.name());
    }
    return new ArrayList<>(names);
  }

  /**
   * For each distinct attribute set (per resource) of the named metric, the most recent point
   * (latest timestamp; on a tie, the later arrival). With cumulative temporality that is the total.
   */
  public List<ReceivedPoint> latestPoints(String metricName) {
    Map<List<Map<String, Object>>, ReceivedPoint> latest = new LinkedHashMap<>();
    for (ReceivedMetric m : metrics(metricName)) {
      for (ReceivedPoint p : m.points()) {
        List<Map<String, Object>> key = Arrays.asList(m.resourceAttributes(), p.attributes());
        ReceivedPoint prev = latest.get(key);
        if (prev == null || p.timeEpochNanos() >= prev.timeEpochNanos()) {
          latest.put(key, p);
        }
      }
    }
    return new ArrayList<>(latest.values());
  }

  /** Waits until a batch containing the named metric arrived; false on timeout. */
  public boolean awaitMetric(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!metrics(name).isEmpty()) {
        return true;
      }
      long remainingMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (remainingMs <= 0) {
        return false;
      }
      synchronized (lock) {
        try {
          lock.wait(Math.min(remainingMs, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return !metrics(name).isEmpty();
        }
      }
    }
  }

  // ---------------------------------------------------------------- logs and raw bytes

  /** Bodies of all received log records as strings, in arrival order. */
  public List<String> logBodies() {
    synchronized (lock) {
      return new ArrayList<>(logBodies);
    }
  }

  /** Every received log record, decoded, in arrival order. */
  public List<ReceivedLogRecord> logRecords() {
    synchronized (lock) {
      return new ArrayList<>(logRecords);
    }
  }

  /** The log records with this event name. */
  public List<ReceivedLogRecord> logRecords(String eventName) {
    List<ReceivedLogRecord> out = new ArrayList<>();
    for (ReceivedLogRecord r : logRecords()) if (eventName.equals(r.eventName())) out.add(r);
    return out;
  }

  /** True if {@code text} (UTF-8) occurs in any received request body (decompressed) of any signal. */
  public boolean rawBytesContain(String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<byte[]> bodies;
    synchronized (lock) {
      bodies = new ArrayList<>(rawBodies);
    }
    for (byte[] body : bodies) {
      if (indexOf(body, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Total size of all received request bodies (decompressed). */
  public long totalRawBytes() {
    synchronized (lock) {
      return totalRawBytes;
    }
  }

  /** Number of POST requests received on the three OTLP paths. */
  public int requestCount() {
    synchronized (lock) {
      return requestCount;
    }
  }

  /** Problems met while receiving (undecodable bodies, unsupported content types), for diagnostics. */
  public List<String> errors() {
    synchronized (lock) {
      return new ArrayList<>(errors);
    }
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      while (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      if (!"POST".equalsIgnoreCase(exchange.getRequestMethod())) {
        respond(exchange, 405, "text/plain", bytes("only POST is supported"));
        return;
      }
      if (!path.equals("/v1/traces") && !path.equals("/v1/metrics") && !path.equals("/v1/logs")) {
        respond(exchange, 404, "text/plain", bytes("unknown path " + path));
        return;
      }
      byte[] body;
      try {
        body = readBody(exchange);
      } catch (IOException e) {
        recordError(path + ": cannot read body: " + e);
        respond(exchange, 400, "text/plain", bytes("cannot read body: " + e.getMessage()));
        return;
      }
      synchronized (lock) {
        if (retainRawBodies) rawBodies.add(body);
        totalRawBytes += body.length;
        requestCount++;
        lock.notifyAll();
      }
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json")) {
        recordError(path + ": unsupported content type " + contentType);
        respond(exchange, 415, "text/plain", bytes("only application/x-protobuf is supported"));
        return;
      }
      byte[] response;
      try {
        switch (path) {
          case "/v1/traces":
            acceptSpans(ExportTraceServiceRequest.parseFrom(body));
            response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            break;
          case "/v1/metrics":
            acceptMetrics(ExportMetricsServiceRequest.parseFrom(body));
            response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
            break;
          default:
            acceptLogs(ExportLogsServiceRequest.parseFrom(body));
            response = ExportLogsServiceResponse.getDefaultInstance().toByteArray();
            break;
        }
      } catch (IOException | RuntimeException e) {
        recordError(path + ": cannot decode: " + e);
        respond(exchange, 400, "text/plain", bytes("cannot decode: " + e.getMessage()));
        return;
      }
      respond(exchange, 200, PROTOBUF, response);
    } finally {
      exchange.close();
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = readAll(in);
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    boolean gzipHeader = encoding != null && encoding.toLowerCase(Locale.ROOT).contains("gzip");
    // A protobuf message never starts with 0x1f (field 3, invalid wire type 7), so sniffing is safe.
    boolean gzipMagic = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    if (gzipHeader || gzipMagic) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return readAll(in);
      }
    }
    return raw;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) != -1) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private void recordError(String message) {
    synchronized (lock) {
      errors.add(message);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- decoding

  private void acceptSpans(ExportTraceServiceRequest request) {
    List<ReceivedSpan> decoded = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = Attributes.toMap(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScope scope = ss.getScope();
        for (Span span : ss.getSpansList()) {
          decoded.add(decodeSpan(span, resource, scope));
        }
      }
    }
    Predicate<ReceivedSpan> retain = retainedSpans;
    synchronized (lock) {
      for (ReceivedSpan span : decoded) {
        if (retain.test(span)) spans.add(span);
      }
      spansReceived += decoded.size();
      lock.notifyAll();
    }
    Consumer<ReceivedSpan> listener = spanListener;
    if (listener != null) {
      for (ReceivedSpan s : decoded) {
        try {
          listener.accept(s);
        } catch (RuntimeException e) {
          recordError("span listener failed: " + e);
        }
      }
    }
  }

  static ReceivedSpan decodeSpan(Span span, Map<String, Object> resource, InstrumentationScope scope) {
    List<ReceivedEvent> events = new ArrayList<>();
    for (Span.Event e : span.getEventsList()) {
      events.add(new ReceivedEvent(e.getName(), e.getTimeUnixNano(), Attributes.toMap(e.getAttributesList())));
    }
    List<ReceivedLink> links = new ArrayList<>();
    for (Span.Link l : span.getLinksList()) {
      links.add(
          new ReceivedLink(
              Attributes.hex(l.getTraceId()), Attributes.hex(l.getSpanId()), Attributes.toMap(l.getAttributesList())));
    }
    return new ReceivedSpan(
        Attributes.hex(span.getTraceId()),
        Attributes.hex(span.getSpanId()),
        Attributes.hex(span.getParentSpanId()),
        span.getName(),
        kindName(span),
        statusName(span.getStatus()),
        span.getStatus().getMessage(),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        Attributes.toMap(span.getAttributesList()),
        events,
        links,
        resource,
        scope.getName(),
        scope.getVersion());
  }

  private static String kindName(Span span) {
    switch (span.getKindValue()) {
      case Span.SpanKind.SPAN_KIND_INTERNAL_VALUE:
        return "INTERNAL";
      case Span.SpanKind.SPAN_KIND_SERVER_VALUE:
        return "SERVER";
      case Span.SpanKind.SPAN_KIND_CLIENT_VALUE:
        return "CLIENT";
      case Span.SpanKind.SPAN_KIND_PRODUCER_VALUE:
        return "PRODUCER";
      case Span.SpanKind.SPAN_KIND_CONSUMER_VALUE:
        return "CONSUMER";
      default:
        return "UNSPECIFIED";
    }
  }

  private static String statusName(Status status) {
    switch (status.getCodeValue()) {
      case Status.StatusCode.STATUS_CODE_OK_VALUE:
        return "OK";
      case Status.StatusCode.STATUS_CODE_ERROR_VALUE:
        return "ERROR";
      default:
        return "UNSET";
    }
  }

  private void acceptMetrics(ExportMetricsServiceRequest request) {
    List<ReceivedMetric> decoded = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      Map<String, Object> resource = Attributes.toMap(rm.getResource().getAttributesList());
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          decoded.add(decodeMetric(m, sm.getScope().getName(), resource));
        }
      }
    }
    synchronized (lock) {
      metrics.addAll(decoded);
      lock.notifyAll();
    }
  }

  static ReceivedMetric decodeMetric(Metric m, String scopeName, Map<String, Object> resource) {
    List<ReceivedPoint> points = new ArrayList<>();
    String type;
    String temporality = "UNSPECIFIED";
    boolean monotonic = false;
    switch (m.getDataCase()) {
      case SUM:
        type = "SUM";
        temporality = temporalityName(m.getSum().getAggregationTemporality());
        monotonic = m.getSum().getIsMonotonic();
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          points.add(numberPoint(p));
        }
        break;
      case GAUGE:
        type = "GAUGE";
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          points.add(numberPoint(p));
        }
        break;
      case HISTOGRAM:
        type = "HISTOGRAM";
        temporality = temporalityName(m.getHistogram().getAggregationTemporality());
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          points.add(
              ReceivedPoint.histogram(
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum(),
                  p.getExplicitBoundsList(),
                  p.getBucketCountsList()));
        }
        break;
      case EXPONENTIAL_HISTOGRAM:
        type = "EXPONENTIAL_HISTOGRAM";
        temporality = temporalityName(m.getExponentialHistogram().getAggregationTemporality());
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          points.add(
              ReceivedPoint.histogram(
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum(),
                  Collections.emptyList(),
                  Collections.emptyList()));
        }
        break;
      case SUMMARY:
        type = "SUMMARY";
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          points.add(
              ReceivedPoint.histogram(
                  Attributes.toMap(p.getAttributesList()),
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  p.getCount(),
                  p.getSum(),
                  Collections.emptyList(),
                  Collections.emptyList()));
        }
        break;
      default:
        type = "EMPTY";
        break;
    }
    return new ReceivedMetric(
        m.getName(), m.getDescription(), m.getUnit(), type, temporality, monotonic, scopeName, resource, points);
  }

  private static ReceivedPoint numberPoint(NumberDataPoint p) {
    boolean isDouble = p.getValueCase() == NumberDataPoint.ValueCase.AS_DOUBLE;
    double value = isDouble ? p.getAsDouble() : (double) p.getAsInt();
    return ReceivedPoint.number(
        Attributes.toMap(p.getAttributesList()), p.getStartTimeUnixNano(), p.getTimeUnixNano(), value, isDouble);
  }

  private static String temporalityName(AggregationTemporality t) {
    switch (t) {
      case AGGREGATION_TEMPORALITY_CUMULATIVE:
        return "CUMULATIVE";
      case AGGREGATION_TEMPORALITY_DELTA:
        return "DELTA";
      default:
        return "UNSPECIFIED";
    }
  }

  private void acceptLogs(ExportLogsServiceRequest request) {
    List<String> bodies = new ArrayList<>();
    List<ReceivedLogRecord> records = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          String body = Attributes.asString(Attributes.toJava(r.getBody()));
          bodies.add(body == null ? "" : body);
          records.add(new ReceivedLogRecord(r.getEventName(), Attributes.hex(r.getTraceId()), Attributes.hex(r.getSpanId()),
              r.getSeverityText(), body, sl.getScope().getName(), Attributes.toMap(r.getAttributesList())));
        }
      }
    }
    synchronized (lock) {
      logBodies.addAll(bodies);
      logRecords.addAll(records);
      lock.notifyAll();
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    if (needle.length == 0) {
      return 0;
    }
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
