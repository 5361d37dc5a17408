package dev.llmotel.core.governance;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The policy state every replica of a service shares (a {@link RedisPolicyStore}), never worse
 * than the JVM's own: while the shared store answers, it decides; when it fails (unreachable, slower
 * than {@code governance.store.timeout-ms}, an error, a refused password), this replica decides on
 * its {@link LocalPolicyStore} with the same limits, says so in one log line, and a daemon thread
 * probes the shared store with back-off until it answers again, then says so in one more line.
 * Application threads never wait for the probe, and while on the fallback they never touch the
 * network. A replica started while the shared store is down starts normally, on its fallback.
 *
 * <p>A reservation settles where it was made. One made on the shared store and settled while it is
 * down is dropped: the shared windows keep its estimate instead of the real cost (an over-count,
 * never an under-count) until they expire. One made on the fallback settles on the fallback.
 */
final class SharedPolicyStore implements PolicyStore {
  private static final Logger logger = Logger.getLogger(SharedPolicyStore.class.getName());
  static final long FIRST_PROBE_MILLIS = 100;
  static final long MAX_PROBE_MILLIS = 5_000;

  private final RedisPolicyStore shared;
  private final LocalPolicyStore local;
  private final String description;
  /** Called after a failure, to drop connections that may be dead (the server restarted). */
  private final Runnable dropConnections;
  /** Opens a few connections ahead of the first calls (a burst at start-up must not wait for them). */
  private final Runnable prepareConnections;
  private final StoreMetrics metrics;
  private final Object transition = new Object();
  private volatile boolean onFallback;
  private final AtomicBoolean metricsStarted = new AtomicBoolean();
  private volatile Thread probe;

  SharedPolicyStore(RedisPolicyStore shared, LocalPolicyStore local, String description, Runnable dropConnections,
      Runnable prepareConnections, StoreMetrics metrics) {
    this.shared = shared;
    this.local = local;
    this.description = description;
    this.dropConnections = dropConnections;
    this.prepareConnections = prepareConnections;
    this.metrics = metrics;
  }

  /**
   * Off the application's threads: connects, loads the scripts, opens a few connections and runs one
   * monitored admission (classes loaded, code warm), so that the first burst of calls finds the store
   * ready; when the store cannot be reached, this replica starts on its fallback at once.
   */
  void warmUp() {
    Thread t = new Thread(() -> {
      try {
        shared.check();
        safely(prepareConnections);
        shared.admit(new AdmissionRequest(System.currentTimeMillis(), 0).rate("llm-otel/warm-up", Long.MAX_VALUE,
            false));
      } catch (RuntimeException e) {
        fallBack(e);
      }
    }, "llm-otel-governance-store-warm-up");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public Admission admit(AdmissionRequest request) {
    startMetrics();
    if (!onFallback) {
      try {
        return shared.admit(request);
      } catch (RuntimeException e) {
        fallBack(e);
      }
    }
    return local.admit(request);
  }

  @Override
  public void settle(Object reservation, double actualUsd, long nowMillis) {
    if (reservation instanceof RedisPolicyStore.Reservation) {
      // Made on the shared store: settled there, or dropped while it is down (its windows expire).
      if (onFallback) return;
      try {
        shared.settle(reservation, actualUsd, nowMillis);
      } catch (RuntimeException e) {
        fallBack(e);
      }
      return;
    }
    local.settle(reservation, actualUsd, nowMillis);
  }

  @Override
  public double[] spent(String budgetKey, long nowMillis) {
    if (!onFallback) {
      try {
        return shared.spent(budgetKey, nowMillis);
      } catch (RuntimeException e) {
        fallBack(e);
      }
    }
    return local.spent(budgetKey, nowMillis);
  }

  /** Whether this replica decides on its own state now (for tests and the metric). */
  boolean onFallback() {
    return onFallback;
  }

  private void startMetrics() {
    if (metrics != null && !metricsStarted.get() && metricsStarted.compareAndSet(false, true)) {
      metrics.start(this);
    }
  }

  /** The one transition to the fallback: one log line, one count, one probe thread. */
  void fallBack(Throwable cause) {
    synchronized (transition) {
      if (onFallback) return;
      onFallback = true;
      logger.log(Level.WARNING, "llm-otel: the governance store " + description + " is unavailable ("
          + reason(cause) + "); each replica now enforces its limits on its own local state until the store is "
          + "back");
      if (metrics != null) metrics.transition(true);
      Thread t = new Thread(this::probeUntilBack, "llm-otel-governance-store-probe");
      t.setDaemon(true);
      probe = t;
      t.start();
    }
  }

  private void probeUntilBack() {
    long wait = FIRST_PROBE_MILLIS;
    safely(dropConnections);
    while (true) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
      try {
        shared.check();
      } catch (RuntimeException e) {
        safely(dropConnections);
        wait = Math.min(MAX_PROBE_MILLIS, wait * 2);
        continue;
      }
      safely(prepareConnections);
      synchronized (transition) {
        // The line and the count come before the switch: whoever sees this replica back on the shared
        // store (an app thread, a health check reading the metric) also finds the transition recorded.
        logger.log(Level.INFO, "llm-otel: the governance store " + description + " answers again; limits are "
            + "shared by every replica again");
        if (metrics != null) metrics.transition(false);
        probe = null;
        onFallback = false;
      }
      return;
    }
  }

  private static void safely(Runnable r) {
    try {
      if (r != null) r.run();
    } catch (RuntimeException ignored) {
      // Dropping or opening idle connections is best effort.
    }
  }

  /** The failure's kind and message (Redis and Jedis messages name no password). */
  static String reason(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String top = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    if (root == t || (root.getMessage() != null && top.contains(root.getMessage()))) return top;
    return top + "; " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  /** For tests: stops the probe thread, if one runs. */
  void stopProbe() {
    Thread t = probe;
    if (t != null) t.interrupt();
  }
}
