package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app's own retry loop around a plain HTTP client: each attempt is its own span; one that
 * repeats the same request (same request hash) under the same parent span after a failure counts
 * the earlier failed attempts as llm_otel.retry.count and links to the previous attempt. Bounded:
 * the oldest entries go first.
 */
final class AppRetries {
  private static final int MAX_ENTRIES = 1024;
  private static final AppRetries INSTANCE = new AppRetries();

  private final Map<String, Failures> failures = new LinkedHashMap<String, Failures>(64, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  static AppRetries get() {
    return INSTANCE;
  }

  /** Before the span starts: the failed attempts of this request under this parent, if any. */
  void beforeStart(Context parent, LlmCall call) {
    String key = key(parent, call);
    if (key == null) return;
    Failures f;
    synchronized (failures) {
      f = failures.get(key);
    }
    if (f != null) {
      call.attemptLog().appRetries(f.count, f.lastErrorType);
      call.addLink(f.last);
    }
  }

  /** After the span ended (errorType null when it succeeded): a failure is remembered for the next attempt; a success clears the record. */
  void afterEnd(Context parent, Context context, LlmCall call, String errorType) {
    String key = key(parent, call);
    if (key == null) return;
    synchronized (failures) {
      if (errorType == null) {
        failures.remove(key);
        return;
      }
      Failures f = failures.get(key);
      failures.put(key, new Failures(f == null ? 1 : f.count + 1, Span.fromContext(context).getSpanContext(), errorType));
    }
  }

  private static String key(Context parent, LlmCall call) {
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    if (!parentSpan.isValid() || call.governance().requestHash() == null) return null;
    return parentSpan.getSpanId() + "/" + call.governance().requestHash();
  }

  private static final class Failures {
    final long count;
    final SpanContext last;
    final String lastErrorType;

    Failures(long count, SpanContext last, String lastErrorType) {
      this.count = count;
      this.last = last;
      this.lastErrorType = lastErrorType;
    }
  }
}
