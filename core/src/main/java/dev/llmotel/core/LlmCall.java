package dev.llmotel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one model of an LLM call shared by every library module, in parts with one owner each: the
 * request ({@link LlmRequest}, what was asked) and the response ({@link LlmResponse}, what came
 * back), which the library module's mapper fills; what governance decided ({@link CallGovernance})
 * and the attempts seen below the library's retries ({@link AttemptLog}), which the shared core
 * writes; and whether its answer can be used ({@link OutputReview}), which the core decides at its
 * end. {@link LlmInstrumenter} turns it into a span and metrics. What is left here is the call's
 * identity (provider, operation) and its lifecycle (start, parent, links, end).
 */
public final class LlmCall {
  private final String provider;
  private final String operation;
  private final LlmRequest request = new LlmRequest(this);
  private final LlmResponse response = new LlmResponse(this);
  private final CallGovernance governance = new CallGovernance();
  private final AttemptLog attemptLog = new AttemptLog();
  private final OutputReview outputReview = new OutputReview();
  private final CallEvaluation evaluation = new CallEvaluation();

  private long startNanos;
  private List<io.opentelemetry.api.trace.SpanContext> links;
  private BeforeSpanStart beforeSpanStart;
  private io.opentelemetry.context.Context parentContext;
  private volatile boolean ended;
  private boolean ending;

  public LlmCall(String provider, String operation) {
    this.provider = provider;
    this.operation = operation;
  }

  public String provider() { return provider; }
  public String operation() { return operation; }

  /** What was asked: written by the library module's mapper before the call starts. */
  public LlmRequest request() { return request; }

  /** What came back: written by the library module's mapper (and the HTTP layer) as it arrives. */
  public LlmResponse response() { return response; }

  /** What governance decided and computed for this call: written by the core's governance only. */
  public CallGovernance governance() { return governance; }

  /**
   * The hash of the whole request ({@link dev.llmotel.core.governance.Fingerprints#requestHash}), computed
   * the first time a feature asks for it: it reads every character of the prompt, which on a large
   * prompt costs more than the rest of the call's instrumentation, so calls that need it not (no loop
   * guard, no app retry to match) never pay for it.
   */
  public String requestHash() {
    String hash = governance.requestHash();
    if (hash == null) {
      hash = dev.llmotel.core.governance.Fingerprints.requestHash(this);
      governance.requestHash(hash);
    }
    return hash;
  }

  /** The call's HTTP attempts, retries and injected faults: written by the layers that see attempts. */
  public AttemptLog attemptLog() { return attemptLog; }

  /** Whether the answer can be used, and why not: written by the core when the call ends. */
  public OutputReview outputReview() { return outputReview; }

  /** Whether the answer goes to the judge (sampled at start), and whether this is a judge's call: written by the core. */
  public CallEvaluation evaluation() { return evaluation; }

  /** Spans this call's span links to (e.g. the app's previous attempt of the same request). */
  public synchronized List<io.opentelemetry.api.trace.SpanContext> links() {
    return links == null ? Collections.<io.opentelemetry.api.trace.SpanContext>emptyList() : new ArrayList<>(links);
  }

  public synchronized void addLink(io.opentelemetry.api.trace.SpanContext link) {
    if (links == null) links = new ArrayList<>(1);
    links.add(link);
  }

  /** Runs after governance has hashed the request, just before the span starts (for links that need the hash). */
  public interface BeforeSpanStart {
    void run(io.opentelemetry.context.Context parent, LlmCall call);
  }

  public synchronized BeforeSpanStart beforeSpanStart() { return beforeSpanStart; }
  public synchronized void beforeSpanStart(BeforeSpanStart hook) { this.beforeSpanStart = hook; }

  void startNanos(long v) { this.startNanos = v; }

  long startNanos() { return startNanos; }

  /** Seconds from the call's start to its first chunk, or null when no chunk arrived. */
  public Double timeToFirstChunkSeconds() {
    long first = response.firstChunkNanos();
    if (first < 0 || startNanos == 0) return null;
    return (first - startNanos) / 1e9;
  }

  /** The context the call started in (its span's parent). */
  public synchronized io.opentelemetry.context.Context parentContext() { return parentContext; }
  public synchronized void parentContext(io.opentelemetry.context.Context v) { this.parentContext = v; }

  /**
   * Whether the call's span has ended. A context can outlive its call: a library that runs the
   * app's completion callback inside the finished call's context hands it on to whatever the
   * callback does, and a call made there is a new call, not a part of the finished one.
   */
  public boolean ended() { return ended; }
  public void markEnded() { ended = true; }

  /** What a context shows of its call: how another class loader's copy tells an open call from an ended one. */
  static final String OPEN = "llm-otel call open";

  @Override
  public String toString() {
    return ended ? "llm-otel call ended" : OPEN;
  }

  /**
   * True for the first end of this call only: two layers or two threads that both end it (a stream's
   * completion and its cancellation) must not settle its cost or close its run's count twice.
   */
  synchronized boolean beginEnd() {
    if (ending) return false;
    ending = true;
    return true;
  }
}
