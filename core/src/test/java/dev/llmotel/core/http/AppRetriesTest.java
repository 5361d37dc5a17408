package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The app's own retry loop matched by request hash, which is computed only when a failure is on record. */
class AppRetriesTest {
  private static Context parent() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String traceId = String.format("%016x%016x", r.nextLong(), r.nextLong());
    String spanId = String.format("%016x", r.nextLong() | 1);
    return Context.root().with(Span.wrap(SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault())));
  }

  private static Context attempt(Context parent) {
    SpanContext p = Span.fromContext(parent).getSpanContext();
    String spanId = String.format("%016x", ThreadLocalRandom.current().nextLong() | 1);
    return parent.with(Span.wrap(SpanContext.create(p.getTraceId(), spanId, TraceFlags.getSampled(), TraceState.getDefault())));
  }

  private static LlmCall call(String prompt) {
    LlmCall call = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(prompt)));
    return call;
  }

  @Test
  void aCallUnderAParentWithoutFailuresIsNeverHashed() {
    Context parent = parent();
    LlmCall ok = call("hello");
    AppRetries.get().beforeStart(parent, ok);
    AppRetries.get().afterEnd(parent, attempt(parent), ok, null);
    assertNull(ok.governance().requestHash(), "nothing to match: the prompt was not read");
    assertEquals(0, ok.attemptLog().retryCount());
  }

  @Test
  void theSameRequestAfterAFailureIsARetryOfItAndASuccessClearsTheRecord() {
    Context parent = parent();
    LlmCall first = call("hello");
    AppRetries.get().beforeStart(parent, first);
    Context firstAttempt = attempt(parent);
    AppRetries.get().afterEnd(parent, firstAttempt, first, "503");

    LlmCall other = call("another question");
    AppRetries.get().beforeStart(parent, other);
    assertEquals(0, other.attemptLog().retryCount(), "another request under the same parent is no retry");
    assertNotNull(other.governance().requestHash(), "hashed: this parent has a failure on record");

    LlmCall second = call("hello");
    AppRetries.get().beforeStart(parent, second);
    assertEquals(1, second.attemptLog().retryCount());
    assertEquals(List.of("503"), second.attemptLog().retryReasons());
    assertEquals(Span.fromContext(firstAttempt).getSpanContext(), second.links().get(0));
    AppRetries.get().afterEnd(parent, attempt(parent), second, null);

    LlmCall later = call("hello");
    AppRetries.get().beforeStart(parent, later);
    assertEquals(0, later.attemptLog().retryCount(), "the success cleared the record");
  }

  @Test
  void manyThreadsRetryingAtOnceEachSeeTheirOwnFailures() throws Exception {
    int threads = 32;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Long>> seen = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        final int failures = 1 + t % 3;
        seen.add(pool.submit(() -> {
          go.await();
          Context parent = parent();
          for (int i = 0; i < failures; i++) {
            LlmCall failed = call("same prompt for everyone");
            AppRetries.get().beforeStart(parent, failed);
            AppRetries.get().afterEnd(parent, attempt(parent), failed, "429");
          }
          LlmCall retry = call("same prompt for everyone");
          AppRetries.get().beforeStart(parent, retry);
          return retry.attemptLog().retryCount() * 10 + failures;
        }));
      }
      go.countDown();
      for (Future<Long> f : seen) {
        long v = f.get();
        assertEquals(v % 10, v / 10, "each parent's retry counts exactly its own failed attempts");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
