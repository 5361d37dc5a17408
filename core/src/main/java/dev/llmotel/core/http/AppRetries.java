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
 * the least recently used parents go first, and each parent keeps its latest requests.
 *
 * <p>The request hash reads the whole prompt, so it is computed only when it can matter: after a
 * failure, and for a call whose parent span has a failed attempt on record. A call under a parent
 * without failures (nearly every call) costs one map lookup.
 */
final class AppRetries {
  private static final int MAX_PARENTS = 1024;
  private static final int MAX_REQUESTS_PER_PARENT = 16;
  private static final AppRetries INSTANCE = new AppRetries();

  /** Parent span id to its failed requests by request hash; guarded by itself. */
  private final Map<String, Map<String, Failures>> failuresByParent =
      new LinkedHashMap<String, Map<String, Failures>>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Failures>> eldest) {
          return size() > MAX_PARENTS;
        }
      };

  static AppRetries get() {
    return INSTANCE;
  }

  /** Before the span starts: the failed attempts of this request under this parent, if any. */
  void beforeStart(Context parent, LlmCall call) {
    String parentId = parentId(parent);
    if (parentId == null || !hasFailures(parentId)) return;
    String hash = call.requestHash();
    Failures f;
    synchronized (failuresByParent) {
      Map<String, Failures> requests = failuresByParent.get(parentId);
      f = requests == null ? null : requests.get(hash);
    }
    if (f != null) {
      call.attemptLog().appRetries(f.count, f.lastErrorType);
      call.addLink(f.last);
    }
  }

  /** After the span ended (errorType null when it succeeded): a failure is remembered for the next attempt; a success clears the record. */
  void afterEnd(Context parent, Context context, LlmCall call, String errorType) {
    String parentId = parentId(parent);
    if (parentId == null) return;
    if (errorType == null) {
      if (!hasFailures(parentId)) return;
      String hash = call.requestHash();
      synchronized (failuresByParent) {
        Map<String, Failures> requests = failuresByParent.get(parentId);
        if (requests != null) {
          requests.remove(hash);
          if (requests.isEmpty()) failuresByParent.remove(parentId);
        }
      }
      return;
    }
    String hash = call.requestHash();
    synchronized (failuresByParent) {
      Map<String, Failures> requests = failuresByParent.get(parentId);
      if (requests == null) {
        requests = new LinkedHashMap<String, Failures>(4, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_REQUESTS_PER_PARENT;
          }
        };
        failuresByParent.put(parentId, requests);
      }
      Failures f = requests.get(hash);
      requests.put(hash, new Failures(f == null ? 1 : f.count + 1, Span.fromContext(context).getSpanContext(), errorType));
    }
  }

  private boolean hasFailures(String parentId) {
    synchronized (failuresByParent) {
      return failuresByParent.containsKey(parentId);
    }
  }

  private static String parentId(Context parent) {
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    return parentSpan.isValid() ? parentSpan.getSpanId() : null;
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
