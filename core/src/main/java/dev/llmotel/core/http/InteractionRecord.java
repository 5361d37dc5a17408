package dev.llmotel.core.http;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.Redactor;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.governance.Governance;
import io.opentelemetry.api.trace.SpanContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One LLM interaction as record mode writes it: the request, the response as the app read it (a
 * JSON body, or a stream's chunks with the milliseconds at which the app got each), or the error,
 * plus what a reader of the file wants without re-parsing: usage, cost, injected faults. Text is
 * redacted and capped; no header but the content type and retry-after is kept (no credentials).
 */
final class InteractionRecord {
  private final Map<String, Object> record = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private final WireFormat format;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
  private List<Map<String, Object>> chunks;
  private EventStreamFrames.Decoder frames; // an AWS event stream: one chunk per message
  private long bytesRead;
  private boolean truncated;
  private boolean written;

  InteractionRecord(WireFormat format, String provider, String model, String path, String key, String request,
      SpanContext span) {
    this.format = format;
    record.put("v", 1L);
    record.put("start_ms", System.currentTimeMillis());
    if (span.isValid()) {
      record.put("trace_id", span.getTraceId());
      record.put("span_id", span.getSpanId());
    }
    record.put("provider", provider);
    record.put("operation", format.operation());
    record.put("format", format.name());
    record.put("model", model);
    record.put("path", path);
    record.put("request_key", key);
    record.put("request", capped(request));
  }

  /** What the call is filed under (the offline evaluation groups by it): its workflow and prompt version. */
  synchronized void identity(String workflow, String promptName, String promptVersion) {
    if (workflow != null) record.put("workflow", workflow);
    if (promptName != null) record.put("prompt_name", promptName);
    if (promptVersion != null) record.put("prompt_version", promptVersion);
  }

  /**
   * Response headers a replay needs besides the content type and retry-after, none of them a
   * credential: the AWS SDK builds its exception from the error type, and reads InvokeModel's usage
   * from the token-count headers.
   */
  private static final String[] KEPT_HEADERS = {"x-amzn-ErrorType", "X-Amzn-Bedrock-Input-Token-Count",
      "X-Amzn-Bedrock-Output-Token-Count", "X-Amzn-Bedrock-Invocation-Latency"};

  synchronized void response(int status, java.util.function.Function<String, String> responseHeaders) {
    String contentType = responseHeaders.apply("content-type");
    String retryAfter = responseHeaders.apply("retry-after");
    Map<String, Object> kept = new LinkedHashMap<>();
    for (String name : KEPT_HEADERS) {
      String value = responseHeaders.apply(name);
      if (value != null) kept.put(name, value);
    }
    if (!kept.isEmpty()) record.put("headers", kept);
    record.put("status", (long) status);
    if (contentType != null) record.put("content_type", contentType);
    if (retryAfter != null) record.put("retry_after", retryAfter);
    if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("text/event-stream")) {
      chunks = new ArrayList<>();
    } else if (EventStreamFrames.isEventStream(contentType)) {
      chunks = new ArrayList<>();
      frames = new EventStreamFrames.Decoder(frame -> {
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("ms", (System.nanoTime() - startNanos) / 1_000_000L);
        chunk.put("headers", new LinkedHashMap<String, Object>(frame.headers));
        String text = new String(frame.payload, StandardCharsets.UTF_8);
        Map<?, ?> json = JsonMaps.parseObject(text);
        String inner = json == null ? null : JsonMaps.string(json.get("bytes"));
        if (inner != null) {
          // InvokeModelWithResponseStream wraps the model's own event in base64: kept as text, so
          // it is redacted and readable; replay wraps it again.
          Map<Object, Object> rest = new LinkedHashMap<>(json);
          rest.remove("bytes");
          chunk.put("text", Json.write(rest));
          chunk.put("bytes_text", new String(Base64.getDecoder().decode(inner), StandardCharsets.UTF_8));
        } else {
          chunk.put("text", text);
        }
        chunks.add(chunk);
      });
    }
  }

  synchronized void faults(List<String> kinds) {
    if (kinds != null && !kinds.isEmpty()) record.put("faults", new ArrayList<Object>(kinds));
  }

  synchronized void bytes(byte[] b, int off, int len) {
    bytesRead += len;
    int room = Recordings.MAX_TEXT - body.size();
    if (room < len) truncated = true;
    if (room <= 0) return;
    int n = Math.min(room, len);
    if (frames != null) {
      frames.feed(b, off, n);
    } else if (chunks != null) {
      Map<String, Object> chunk = new LinkedHashMap<>();
      chunk.put("ms", (System.nanoTime() - startNanos) / 1_000_000L);
      chunk.put("text", new String(b, off, n, StandardCharsets.UTF_8));
      chunks.add(chunk);
    }
    body.write(b, off, n);
  }

  /** The record as it is written to the file (after {@link #finish}). */
  synchronized Map<String, Object> fields() {
    return record;
  }

  synchronized long bytesRead() {
    return bytesRead;
  }

  /** The interaction ended: read to the end (error null), failed, or closed early by the app. */
  synchronized void finish(Throwable error, boolean closedEarly) {
    if (written) return;
    written = true;
    try {
      record.put("duration_ms", (System.nanoTime() - startNanos) / 1_000_000L);
      String text = new String(body.toByteArray(), StandardCharsets.UTF_8);
      if (chunks != null) {
        for (Map<String, Object> c : chunks) {
          c.put("text", Redactor.get().redact((String) c.get("text")));
          if (c.containsKey("bytes_text")) c.put("bytes_text", Redactor.get().redact((String) c.get("bytes_text")));
        }
        record.put("chunks", chunks);
      } else if (record.containsKey("status")) {
        record.put("body", Redactor.get().redact(text));
      }
      if (truncated) record.put("truncated", true);
      if (error != null) {
        record.put("error", error.getClass().getName() + ": " + Redactor.get().redact(String.valueOf(error.getMessage())));
        record.put("error_after_bytes", bytesRead);
      }
      if (closedEarly) record.put("closed_early", true);
      usage(text);
      Recordings.get().write(record);
    } catch (Throwable t) {
      SafeHooks.failed("recording an LLM interaction", t);
    }
  }

  /** Usage and cost, read from the body the app got as the span's own mapping would read it. */
  private void usage(String text) {
    if (!record.containsKey("status") || text.isEmpty()) return;
    LlmCall scratch = new LlmCall((String) record.get("provider"), format.operation());
    scratch.request().requestModel((String) record.get("model"));
    RecordedExchanges.mapResponse(format, scratch, text, frames != null ? chunks : null, chunks != null);
    if (scratch.response().inputTokens() == null && scratch.response().outputTokens() == null) return;
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("input_tokens", scratch.response().inputTokens());
    usage.put("output_tokens", scratch.response().outputTokens());
    record.put("usage", usage);
    if (scratch.response().responseModel() != null) record.put("response_model", scratch.response().responseModel());
    Double cost = Governance.get().costOf(scratch);
    if (cost != null) record.put("cost_usd", cost);
  }

  private static Map<String, String> stringHeaders(Map<?, ?> headers) {
    Map<String, String> out = new LinkedHashMap<>();
    if (headers != null) {
      for (Map.Entry<?, ?> e : headers.entrySet()) out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
    }
    return out;
  }

  private static String capped(String text) {
    if (text == null) return null;
    String redacted = Redactor.get().redact(text);
    return redacted.length() <= Recordings.MAX_TEXT ? redacted : redacted.substring(0, Recordings.MAX_TEXT);
  }

  /** The response a recording plays back, or null when the recorded call never got one. */
  static HttpFault replay(Map<?, ?> r) {
    Object status = r.get("status");
    if (!(status instanceof Number)) {
      return HttpFault.replayed(null, -1, "the recorded call failed to connect (llm-otel replay)");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (r.get("content_type") != null) headers.put("content-type", String.valueOf(r.get("content_type")));
    if (r.get("retry_after") != null) headers.put("retry-after", String.valueOf(r.get("retry_after")));
    if (r.get("headers") instanceof Map) headers.putAll(stringHeaders((Map<?, ?>) r.get("headers")));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean framed = EventStreamFrames.isEventStream(headers.get("content-type"));
    if (r.get("chunks") instanceof List) {
      for (Object c : (List<?>) r.get("chunks")) {
        Map<?, ?> chunk = JsonMaps.map(c);
        String recorded = String.valueOf(JsonMaps.string(chunk.get("text")));
        if (chunk.get("bytes_text") != null) {
          Map<?, ?> parsed = JsonMaps.parseObject(recorded);
          Map<Object, Object> payload = new LinkedHashMap<>();
          payload.put("bytes", Base64.getEncoder().encodeToString(
              String.valueOf(chunk.get("bytes_text")).getBytes(StandardCharsets.UTF_8)));
          if (parsed != null) payload.putAll(parsed);
          recorded = Json.write(payload);
        }
        byte[] text = recorded.getBytes(StandardCharsets.UTF_8);
        if (framed) text = EventStreamFrames.encode(stringHeaders(JsonMaps.map(chunk.get("headers"))), text);
        body.write(text, 0, text.length);
      }
    } else if (r.get("body") != null) {
      byte[] text = String.valueOf(r.get("body")).getBytes(StandardCharsets.UTF_8);
      body.write(text, 0, text.length);
    }
    byte[] bytes = body.toByteArray();
    int code = ((Number) status).intValue();
    long brokenAfter = r.get("error") != null ? bytes.length : -1;
    return HttpFault.replayed(new HttpFault.Response(code, code < 400 ? "OK" : "Error", headers, bytes), brokenAfter,
        "replayed by llm-otel");
  }
}
