package dev.llmotel.core;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Our code must never break the host application. Every hook catches its own failures and reports
 * them here: logged once per hook and failure type, then only counted.
 *
 * <p>For the tests that prove it, {@link #checkpoint} makes a hook fail on purpose at a named stage
 * when the JVM was started with {@value #FAULT_PROPERTY} set (its current value, read at each
 * checkpoint, lists the stages, or {@code all}). Without that property at start-up a checkpoint is
 * a constant false branch.
 */
public final class SafeHooks {
  public static final String FAULT_PROPERTY = "llm-otel.internal.test.fail-hooks";

  private static final Logger logger = Logger.getLogger("dev.llmotel");
  private static final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<>());
  private static final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
  private static final boolean FAULTS_ARMED = System.getProperty(FAULT_PROPERTY) != null;

  /** How many failures our hooks have had in this class loader: for tests and fuzzing. */
  public static long failureCount() {
    return failures.get();
  }

  public static void failed(String hook, Throwable t) {
    failures.incrementAndGet();
    try {
      if (reported.size() < 1000 && reported.add(hook + ':' + t.getClass().getName())) {
        logger.log(Level.WARNING, "llm-otel: " + hook + " failed; the application call is unaffected", t);
      }
    } catch (Throwable ignored) {
      // logging itself failed: nothing more we can safely do
    }
  }

  /** Throws {@link InjectedFailure} when the fault switch names this stage (tests only). */
  public static void checkpoint(String stage) {
    if (!FAULTS_ARMED) return;
    String stages = System.getProperty(FAULT_PROPERTY);
    if (stages == null) return;
    if (stages.equals("all") || ("," + stages.replace(" ", "") + ",").contains("," + stage + ",")) {
      throw new InjectedFailure(stage);
    }
  }

  /** A failure made on purpose by the fault switch, so tests can tell it from a real bug. */
  public static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(String stage) {
      super("llm-otel test fault injected at stage " + stage);
    }
  }

  private SafeHooks() {}
}
