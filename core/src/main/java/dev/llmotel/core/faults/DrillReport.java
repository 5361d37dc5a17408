package dev.llmotel.core.faults;

import dev.llmotel.core.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a chaos drill did to the agent, per workflow: its calls and tool executions, the faults
 * injected by kind, how each agent run ended (answered, escalated, failed, refused by a policy), and
 * retries, latency and cost of the calls and runs with faults against those of the same workflow
 * without. Kept in memory while fault injection is on, written as JSON and as a page
 * ({@code otel.instrumentation.llm-otel.faults.report}, a path without extension) every few seconds while
 * it changes and at exit, so the files are the report "on demand".
 *
 * <p>One per JVM: the copy of core in the agent's extension loader keeps and writes it; every other
 * copy (the app's, the JDK HttpClient's in the platform loader) forwards what it saw ({@link
 * dev.llmotel.core.JvmHost}). It also carries faults from the copy that injected them to the copy
 * that reports the span they hit ({@link #faultAt}): the JDK HttpClient's copy injects a fault into
 * a LangChain4j call or an agent's HTTP request, LangChain4j's copy ends that call or run.
 */
public final class DrillReport {
  public static final String REPORT = "otel.instrumentation.llm-otel.faults.report";
  /** How an agent run ended. */
  public static final String ANSWERED = "answered";
  public static final String ESCALATED = "escalated";
  public static final String FAILED = "failed";
  public static final String REFUSED = "refused";

  /** Kinds of faults injected elsewhere per span id (a call's or an agent run's span), until taken. */
  static final int MAX_PENDING_SPANS = 10_000;

  private final Map<String, Workflow> workflows = new TreeMap<>();
  private final Map<String, List<String>> faultsAt = new java.util.LinkedHashMap<String, List<String>>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
      return size() > MAX_PENDING_SPANS; // a span whose end never comes must not hold memory
    }
  };
  /** The JVM's report in another copy, or null when this is it. */
  private final java.util.function.Function<Object[], Object> host;

  DrillReport() {
    this(null);
  }

  DrillReport(java.util.function.Function<Object[], Object> host) {
    this.host = host;
  }

  /** Whether this copy keeps (and writes) the report, or forwards to the copy that does. */
  boolean hosted() {
    return host == null;
  }

  /**
   * The entry point the other copies call, on the extension loader's copy: each call is the name of
   * a recording method and its arguments, JDK values only.
   */
  public static java.util.function.Function<Object[], Object> endpoint() {
    return args -> {
      DrillReport report = Faults.get().report();
      if (report == null) return null; // fault injection refused here: nothing to keep
      return report.apply(args);
    };
  }

  @SuppressWarnings("unchecked")
  Object apply(Object[] a) {
    switch ((String) a[0]) {
      case "call":
        call((String) a[1], (List<String>) a[2], (Long) a[3], (Boolean) a[4], (Long) a[5], (Double) a[6]);
        return null;
      case "tool":
        tool((String) a[1], (String) a[2], (Long) a[3], (Boolean) a[4]);
        return null;
      case "run":
        run((String) a[1], (Boolean) a[2], (String) a[3], (Long) a[4], (Long) a[5], (Double) a[6]);
        return null;
      case "request":
        request((String) a[1], (String) a[2]);
        return null;
      case "faultAt":
        faultAt((String) a[1], (String) a[2]);
        return null;
      case "takeFaultsAt":
        return takeFaultsAt((String) a[1]);
      default:
        throw new IllegalArgumentException("unknown drill report operation " + a[0]);
    }
  }
  private final AtomicBoolean changed = new AtomicBoolean();
  private final long startMillis = System.currentTimeMillis();

  /** Calls, tool executions or runs of one workflow, with or without an injected fault. */
  static final class Side {
    long count;
    long failed;
    long retries;
    double costUsd;
    long latencyNanosSum;
    long latencyNanosMax;
    final Map<String, Long> outcomes = new TreeMap<>();

    void add(long nanos, boolean fail, long retries, Double cost) {
      count++;
      if (fail) failed++;
      this.retries += retries;
      if (cost != null) costUsd += cost;
      latencyNanosSum += nanos;
      latencyNanosMax = Math.max(latencyNanosMax, nanos);
    }

    Map<String, Object> json(boolean withOutcomes) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("failed", failed);
      m.put("retries", retries);
      m.put("cost_usd", round(costUsd));
      m.put("mean_cost_usd", count == 0 ? 0.0 : round(costUsd / count));
      m.put("mean_latency_ms", count == 0 ? 0.0 : round(latencyNanosSum / 1e6 / count));
      m.put("max_latency_ms", round(latencyNanosMax / 1e6));
      if (withOutcomes) m.put("outcomes", new TreeMap<String, Object>(outcomes));
      return m;
    }
  }

  static final class Workflow {
    final Side faultedCalls = new Side();
    final Side cleanCalls = new Side();
    final Side faultedTools = new Side();
    final Side cleanTools = new Side();
    final Side faultedRuns = new Side();
    final Side cleanRuns = new Side();
    final Map<String, Long> faults = new TreeMap<>();
    /** Faults injected into the agent's other HTTP requests (http_faults), by kind. */
    final Map<String, Long> requestFaults = new TreeMap<>();
  }

  private Workflow workflow(String name) {
    return workflows.computeIfAbsent(name == null ? "(none)" : name, k -> new Workflow());
  }

  /** One LLM call that ended: its injected faults (empty: none), whether it failed, its retries and cost. */
  public void call(String workflow, List<String> faults, long nanos, boolean failed, long retries, Double cost) {
    if (host != null) {
      host.apply(new Object[] {"call", workflow, faults == null ? null : new java.util.ArrayList<>(faults), nanos, failed,
          retries, cost});
      return;
    }
    recordCall(workflow, faults, nanos, failed, retries, cost);
  }

  private synchronized void recordCall(String workflow, List<String> faults, long nanos, boolean failed, long retries,
      Double cost) {
    Workflow w = workflow(workflow);
    boolean faulted = faults != null && !faults.isEmpty();
    (faulted ? w.faultedCalls : w.cleanCalls).add(nanos, failed, retries, cost);
    if (faulted) for (String f : faults) w.faults.merge(f, 1L, Long::sum);
    changed.set(true);
  }

  /** One tool execution that ended: its injected fault kind (null: none), whether it failed. */
  public void tool(String workflow, String fault, long nanos, boolean failed) {
    if (host != null) {
      host.apply(new Object[] {"tool", workflow, fault, nanos, failed});
      return;
    }
    recordTool(workflow, fault, nanos, failed);
  }

  private synchronized void recordTool(String workflow, String fault, long nanos, boolean failed) {
    Workflow w = workflow(workflow);
    (fault != null ? w.faultedTools : w.cleanTools).add(nanos, failed, 0, null);
    if (fault != null) w.faults.merge(fault, 1L, Long::sum);
    changed.set(true);
  }

  /** One agent run that ended, how, and whether any of its calls or tools had a fault. */
  public void run(String workflow, boolean faulted, String outcome, long nanos, long retries, Double cost) {
    if (host != null) {
      host.apply(new Object[] {"run", workflow, faulted, outcome, nanos, retries, cost});
      return;
    }
    recordRun(workflow, faulted, outcome, nanos, retries, cost);
  }

  /** One fault injected into an HTTP request that is no LLM call (http_faults), of this kind. */
  public void request(String workflow, String kind) {
    if (host != null) {
      host.apply(new Object[] {"request", workflow, kind});
      return;
    }
    synchronized (this) {
      workflow(workflow).requestFaults.merge(kind, 1L, Long::sum);
      changed.set(true);
    }
  }

  /**
   * A fault of this kind reached the span with this id (an LLM call's span another copy owns, or an
   * agent run's): kept until that copy takes it at the span's end.
   */
  public void faultAt(String spanId, String kind) {
    if (spanId == null) return;
    if (host != null) {
      host.apply(new Object[] {"faultAt", spanId, kind});
      return;
    }
    synchronized (this) {
      List<String> kinds = faultsAt.get(spanId);
      if (kinds == null) faultsAt.put(spanId, kinds = new java.util.ArrayList<>(2));
      if (!kinds.contains(kind)) kinds.add(kind);
    }
  }

  /** The kinds of faults other copies injected into the span with this id (null for none), forgotten here. */
  @SuppressWarnings("unchecked")
  public List<String> takeFaultsAt(String spanId) {
    if (spanId == null) return null;
    if (host != null) return (List<String>) host.apply(new Object[] {"takeFaultsAt", spanId});
    synchronized (this) {
      return faultsAt.isEmpty() ? null : faultsAt.remove(spanId);
    }
  }

  private synchronized void recordRun(String workflow, boolean faulted, String outcome, long nanos, long retries,
      Double cost) {
    Side side = faulted ? workflow(workflow).faultedRuns : workflow(workflow).cleanRuns;
    side.add(nanos, FAILED.equals(outcome) || REFUSED.equals(outcome), retries, cost);
    side.outcomes.merge(outcome, 1L, Long::sum);
    changed.set(true);
  }

  /** The report as its JSON file holds it. */
  public synchronized Map<String, Object> json(String drillName) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", "llm-otel-drill-report");
    root.put("version", 1L);
    if (drillName != null) root.put("drill", drillName);
    root.put("started_ms", startMillis);
    root.put("written_ms", System.currentTimeMillis());
    Map<String, Object> ws = new LinkedHashMap<>();
    for (Map.Entry<String, Workflow> e : workflows.entrySet()) {
      Workflow w = e.getValue();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("faults", new TreeMap<String, Object>(w.faults));
      m.put("request_faults", new TreeMap<String, Object>(w.requestFaults));
      m.put("calls", sides(w.faultedCalls, w.cleanCalls, false));
      m.put("tools", sides(w.faultedTools, w.cleanTools, false));
      m.put("runs", sides(w.faultedRuns, w.cleanRuns, true));
      ws.put(e.getKey(), m);
    }
    root.put("workflows", ws);
    return root;
  }

  private static Map<String, Object> sides(Side faulted, Side clean, boolean outcomes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("with_faults", faulted.json(outcomes));
    m.put("without_faults", clean.json(outcomes));
    return m;
  }

  /**
   * Held while the files are written. The periodic write and the one at exit run on two threads. Without
   * this lock, the periodic write could take its numbers before the last calls and move its file into
   * place after the exit's write, leaving older numbers behind. Or it could clear the changed flag while
   * still writing, so the exit's write would find nothing to do while the process ended under it. Both
   * also wrote the same temporary file.
   */
  private final Object writing = new Object();

  /** Writes {@code base.json} and {@code base.html} (each replaced whole, never half-written) when anything changed. */
  void writeIfChanged(String base, String drillName) throws IOException {
    synchronized (writing) {
      if (!changed.getAndSet(false)) return;
      try {
        Map<String, Object> json = json(drillName);
        write(Paths.get(base + ".json"), Json.write(json));
        write(Paths.get(base + ".html"), DrillPage.render(json));
      } catch (IOException | RuntimeException e) {
        changed.set(true); // not written: the next write tries again
        throw e;
      }
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
