package dev.llmotel.core;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread of llm-otel's own for the rare task that must run later whatever happens (a
 * stream's completion held for its answer's review, should that review never come). Started on
 * first use; nothing on it ever blocks.
 */
public final class DelayedTasks {
  private static volatile ScheduledExecutorService executor;

  /** Runs {@code task} after {@code millis}; should scheduling fail, at once. Its failures are logged, never thrown. */
  public static void schedule(Runnable task, long millis) {
    Runnable safe = () -> {
      try {
        task.run();
      } catch (Throwable t) {
        SafeHooks.failed("delayed task", t);
      }
    };
    try {
      executor().schedule(safe, millis, TimeUnit.MILLISECONDS);
    } catch (Throwable t) {
      SafeHooks.failed("delayed task scheduling", t);
      safe.run();
    }
  }

  private static ScheduledExecutorService executor() {
    ScheduledExecutorService e = executor;
    if (e == null) {
      synchronized (DelayedTasks.class) {
        e = executor;
        if (e == null) {
          ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "llm-otel-delayed");
            t.setDaemon(true);
            return t;
          });
          pool.setRemoveOnCancelPolicy(true);
          executor = e = pool;
        }
      }
    }
    return e;
  }

  private DelayedTasks() {}
}
