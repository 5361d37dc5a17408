package dev.llmotel.smoke.support;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Holds a smoke app until llm-otel's evaluation threads are idle, as a service that lives on would,
 * so that the judge's results are exported before the JVM exits: the evaluations run after each
 * call, on llm-otel's own threads ("llm-otel-evaluation-N").
 */
public final class EvaluationThreads {
  /** Set to true to wait for the evaluations at the end of {@link ScenarioLoop#runAll}. */
  public static final String AWAIT_PROPERTY = "smoke.await-evaluations";

  private EvaluationThreads() {}

  /**
   * Waits (at most a minute) until every evaluation thread is parked waiting for work, three looks in
   * a row: nothing is queued and no judge call is in flight. Returns how many such threads there are.
   */
  public static int awaitIdle() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int idleLooks = 0;
    int threads = 0;
    while (idleLooks < 3) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("evaluations still running after 60 s");
      boolean idle = true;
      threads = 0;
      for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
        if (!t.getKey().getName().startsWith("llm-otel-evaluation-")) continue;
        threads++;
        boolean waiting = false;
        for (StackTraceElement frame : t.getValue()) {
          if (frame.getMethodName().equals("getTask")) waiting = true;
        }
        idle &= waiting;
      }
      idleLooks = idle ? idleLooks + 1 : 0;
      Thread.sleep(50);
    }
    return threads;
  }
}
