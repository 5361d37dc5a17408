package dev.llmotel.core;

import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One invocation of an agent (a LangChain4j AI service method, a Spring AI ChatClient call): the
 * parent of its model calls and tool executions. It remembers which model call asked for which
 * tool call id, so a tool's span can link back to the chat span that requested it.
 */
public final class AgentRun {
  private final String name;
  private final Map<String, SpanContext> toolCallSources = new ConcurrentHashMap<>();
  /** Model calls started in this run and not ended yet; guarded by this. */
  private int openCalls;
  /** The run's own end, waiting for its open calls; guarded by this. */
  private Runnable endAfterCalls;

  public AgentRun(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  private volatile String conversationId;

  /** The conversation the run belongs to (its chat memory's id), once the framework names it; null before. */
  public String conversationId() {
    return conversationId;
  }

  /** The run's conversation, named by its framework: the first one stays (a run reads one chat memory). */
  public void conversationId(Object id) {
    if (conversationId == null) conversationId = Conversations.clean(id);
  }

  /** How {@link #toString} starts: another copy of llm-otel finds the run's span id in a context's text by it. */
  public static final String TO_STRING_PREFIX = "agent-run ";
  private volatile String spanId;

  void spanId(String spanId) {
    this.spanId = spanId;
  }

  /** The run's span id, once its span started. */
  String spanId() {
    return spanId;
  }

  /**
   * The run's span id: a context's text shows each value by its toString, which is how another
   * class loader's copy of llm-otel (the JDK HttpClient's), which cannot read this copy's context
   * key, tells which run a request belongs to.
   */
  @Override
  public String toString() {
    return TO_STRING_PREFIX + spanId;
  }

  void toolCallRequested(String toolCallId, SpanContext chatSpan) {
    // Bounded: a runaway agent loop must not grow this map without end.
    if (toolCallId != null && toolCallSources.size() < 1000) toolCallSources.put(toolCallId, chatSpan);
  }

  /** Model calls and tool executions the run made (the conventions' per-invocation counts). */
  private int inferenceCalls;
  private int toolCalls;

  synchronized void toolStarted() {
    toolCalls++;
  }

  synchronized int inferenceCalls() {
    return inferenceCalls;
  }

  synchronized int toolCalls() {
    return toolCalls;
  }

  synchronized void callStarted() {
    inferenceCalls++;
    openCalls++;
  }

  void callEnded() {
    Runnable end;
    synchronized (this) {
      if (openCalls > 0) openCalls--;
      if (openCalls > 0 || endAfterCalls == null) return;
      end = endAfterCalls;
      endAfterCalls = null;
    }
    end.run();
  }

  /**
   * Runs {@code end} now, or when the last model call still open in this run ends. Reactive
   * frameworks finish a streamed run in operators that run before the inner call's own end (Reactor
   * runs doFinally downstream first), or on another thread: the run still encloses its calls.
   * A call that never ends (a stream nobody reads or cancels) holds its run's span open with it.
   */
  void endAfterOpenCalls(Runnable end) {
    synchronized (this) {
      if (openCalls > 0) {
        endAfterCalls = end;
        return;
      }
    }
    end.run();
  }

  // What a chaos drill's report says of this run (kept only while fault injection is on).
  private final long startNanos = System.nanoTime();
  private boolean faulted;
  private boolean refused;
  private boolean escalated;
  private long retries;
  private double costUsd;

  /** One of the run's calls or tools ended: what the drill report sums for the run. */
  synchronized void drillStep(boolean faulted, boolean refused, boolean escalated, long retries, Double cost) {
    this.faulted |= faulted;
    this.refused |= refused;
    this.escalated |= escalated;
    this.retries += retries;
    if (cost != null) this.costUsd += cost;
  }

  /** How the run ended for the drill report: failed or refused (it threw), escalated, or answered. */
  synchronized String drillOutcome(Throwable error) {
    if (error != null) return refused ? dev.llmotel.core.faults.DrillReport.REFUSED : dev.llmotel.core.faults.DrillReport.FAILED;
    return escalated ? dev.llmotel.core.faults.DrillReport.ESCALATED : dev.llmotel.core.faults.DrillReport.ANSWERED;
  }

  synchronized boolean drillFaulted() { return faulted; }
  synchronized long drillRetries() { return retries; }
  synchronized double drillCostUsd() { return costUsd; }
  long startNanos() { return startNanos; }

  /** Tool spans of this run whose results set off injection detection (bounded), oldest first. */
  private final java.util.List<SpanContext> suspectedInjections = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final int MAX_SUSPECTED = 16;
  /** Slots taken: a tool must claim one before adding, since many tools of a run end at the same moment and a size check then add lets them all past the bound. */
  private final java.util.concurrent.atomic.AtomicInteger suspectedSlots = new java.util.concurrent.atomic.AtomicInteger();

  void injectionSuspected(SpanContext toolSpan) {
    if (!toolSpan.isValid()) return;
    // The get first keeps the counter from wrapping in a run that never stops finding hits.
    if (suspectedSlots.get() < MAX_SUSPECTED && suspectedSlots.getAndIncrement() < MAX_SUSPECTED) {
      suspectedInjections.add(toolSpan);
    }
  }

  /** The tool spans whose results were suspected injections: later tool spans of the run link to them. */
  java.util.List<SpanContext> suspectedInjections() {
    return suspectedInjections;
  }

  SpanContext toolCallSource(String toolCallId) {
    return toolCallId == null ? null : toolCallSources.get(toolCallId);
  }
}
