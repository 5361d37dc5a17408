package dev.llmotel.core.governance;

import dev.llmotel.core.governance.Admission.Check;
import dev.llmotel.core.governance.Admission.Failure;
import dev.llmotel.core.governance.AdmissionRequest.BudgetCheck;
import dev.llmotel.core.governance.AdmissionRequest.RateCheck;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-JVM {@link PolicyStore}. All state sits behind one lock, held for the few microseconds an
 * admission takes: every check of a call is decided and every slot and reservation taken in that
 * one step, across all the scopes the call touches (rate limit, process budget, workflow budget,
 * trace), so no two callers can both take the last of anything.
 *
 * <p>Memory is bounded whatever the traffic: at most {@link #MAX_KEYS} rate-limit and budget keys
 * (later keys share one overflow entry, so their limits still hold, together), and per-trace state
 * for at most {@code maxTraces} traces. A trace's state lives while the trace is active: it is
 * dropped after {@code traceIdleMillis} without a call, or, when more traces than the bound are
 * active at once, the least recently used one is evicted and counted ({@link
 * Admission#traceStatesEvicted}).
 */
final class LocalPolicyStore implements PolicyStore {
  static final int MAX_KEYS = 10_000;
  static final String OVERFLOW_KEY = "_OTHER";
  /** Distinct request hashes remembered per trace for the loop guard; the oldest is replaced after that. */
  static final int MAX_REPEAT_HASHES = 256;

  private final Object lock = new Object();
  private final Map<String, RollingSum> rates = new HashMap<>();
  private final Map<String, Windows> budgets = new HashMap<>();
  private final Map<String, TraceState> traces = new LinkedHashMap<>(256, 0.75f, true);
  private final int maxTraces;
  private final long traceIdleMillis;
  private long evictedNotReported;

  LocalPolicyStore(int maxTraces, long traceIdleMillis) {
    this.maxTraces = maxTraces;
    this.traceIdleMillis = traceIdleMillis;
  }

  @Override
  public Admission admit(AdmissionRequest r) {
    if (r.isEmpty()) return Admission.NOTHING;
    long now = r.nowMillis;
    synchronized (lock) {
      List<Failure> failures = null;
      RollingSum[] rateSums = new RollingSum[r.rates.size()];
      for (int i = 0; i < rateSums.length; i++) {
        RateCheck c = r.rates.get(i);
        RollingSum calls = rateSums[i] = rate(c.key);
        double inWindow = calls.sum(now);
        if (inWindow >= c.limit) {
          failures = Admission.add(failures, new Failure(Check.RATE_LIMIT, c.key, "minute", c.limit, inWindow,
              c.enforced));
        }
      }
      Windows[] budgetWindows = new Windows[r.budgets.size()];
      for (int i = 0; i < budgetWindows.length; i++) {
        BudgetCheck c = r.budgets.get(i);
        Windows w = budgetWindows[i] = budget(c.key);
        failures = w.check(c, now, r.estimateUsd, failures);
      }
      TraceState trace = null;
      if (r.traceId != null) {
        trace = trace(r.traceId, now);
        if (r.perTraceUsd > 0 && exceeds(trace.spentUsd, r.estimateUsd, r.perTraceUsd)) {
          failures = Admission.add(failures, new Failure(Check.TRACE_BUDGET, "trace", "trace", r.perTraceUsd,
              trace.spentUsd, r.traceBudgetEnforced));
        }
        if (r.repeatHash != null) {
          int seen = trace.repeats(r.repeatHash) + 1;
          if (seen > r.maxRepeats) {
            failures = Admission.add(failures, new Failure(Check.LOOP_GUARD, "trace", "trace", r.maxRepeats, seen,
                r.loopGuardEnforced));
          }
        }
      }
      long evicted = evictedNotReported;
      evictedNotReported = 0;
      Admission decided = new Admission(null, failures, evicted);
      if (decided.refused()) return decided;
      // Nothing enforced failed: take everything this call asked for, in the same step.
      for (RollingSum calls : rateSums) calls.add(now, 1);
      for (Windows w : budgetWindows) w.add(now, r.estimateUsd);
      if (trace != null) {
        trace.spentUsd += r.estimateUsd;
        if (r.repeatHash != null) trace.repeat(r.repeatHash);
      }
      boolean reserves = r.estimateUsd > 0 || budgetWindows.length > 0 || (trace != null && r.perTraceUsd > 0);
      Object reservation = reserves ? new Reservation(now, r.estimateUsd, budgetWindows, trace) : null;
      return new Admission(reservation, failures, evicted);
    }
  }

  static boolean exceeds(double spent, double estimate, double cap) {
    return spent >= cap || spent + estimate > cap;
  }

  @Override
  public void settle(Object reservation, double actualUsd, long nowMillis) {
    if (!(reservation instanceof Reservation)) return;
    Reservation r = (Reservation) reservation;
    synchronized (lock) {
      if (r.settled) return;
      r.settled = true;
      double delta = Math.max(0, actualUsd) - r.estimateUsd;
      if (delta == 0) return;
      for (Windows w : r.budgets) w.adjust(r.atMillis, nowMillis, delta);
      if (r.trace != null) r.trace.spentUsd += delta;
    }
  }

  @Override
  public double[] spent(String budgetKey, long nowMillis) {
    synchronized (lock) {
      Windows w = budgets.get(budgetKey);
      return w == null ? new double[3] : new double[] {w.minute.sum(nowMillis), w.hour.sum(nowMillis),
          w.day.sum(nowMillis)};
    }
  }

  /** How many traces have state now (for tests and the memory bound). */
  int traceCount() {
    synchronized (lock) {
      return traces.size();
    }
  }

  private RollingSum rate(String key) {
    RollingSum s = rates.get(key);
    if (s == null) {
      if (rates.size() >= MAX_KEYS) key = OVERFLOW_KEY;
      s = rates.get(key);
      if (s == null) {
        s = RollingSum.minute();
        rates.put(key, s);
      }
    }
    return s;
  }

  private Windows budget(String key) {
    Windows w = budgets.get(key);
    if (w == null) {
      if (budgets.size() >= MAX_KEYS) key = OVERFLOW_KEY;
      w = budgets.get(key);
      if (w == null) {
        w = new Windows();
        budgets.put(key, w);
      }
    }
    return w;
  }

  private TraceState trace(String traceId, long now) {
    TraceState t = traces.get(traceId);
    if (t == null) {
      retireIdleTraces(now);
      if (traces.size() >= maxTraces) {
        Iterator<TraceState> eldest = traces.values().iterator();
        eldest.next();
        eldest.remove();
        evictedNotReported++;
      }
      t = new TraceState();
      traces.put(traceId, t);
    }
    t.lastUsedMillis = now;
    return t;
  }

  /** Drops the states of traces with no call for the idle time; the map is in access order, eldest first. */
  private void retireIdleTraces(long now) {
    Iterator<TraceState> it = traces.values().iterator();
    while (it.hasNext()) {
      TraceState t = it.next();
      if (now - t.lastUsedMillis < traceIdleMillis) break;
      it.remove();
    }
  }

  /** Spend in the three rolling windows of one budget, reservations included. */
  private static final class Windows {
    final RollingSum minute = RollingSum.minute();
    final RollingSum hour = RollingSum.hour();
    final RollingSum day = RollingSum.day();

    List<Failure> check(BudgetCheck c, long now, double estimate, List<Failure> failures) {
      failures = window(c, "minute", c.perMinute, minute, now, estimate, failures);
      failures = window(c, "hour", c.perHour, hour, now, estimate, failures);
      return window(c, "day", c.perDay, day, now, estimate, failures);
    }

    private static List<Failure> window(BudgetCheck c, String name, double cap, RollingSum sum, long now,
        double estimate, List<Failure> failures) {
      if (cap <= 0) return failures;
      double spent = sum.sum(now);
      if (!exceeds(spent, estimate, cap)) return failures;
      return Admission.add(failures, new Failure(Check.BUDGET, c.label, name, cap, spent, c.enforced));
    }

    void add(long now, double usd) {
      minute.add(now, usd);
      hour.add(now, usd);
      day.add(now, usd);
    }

    void adjust(long at, long now, double delta) {
      minute.adjust(at, now, delta);
      hour.adjust(at, now, delta);
      day.adjust(at, now, delta);
    }
  }

  /** One trace's spend (reservations included) and repeat counts, by 64-bit request hash. */
  private static final class TraceState {
    long lastUsedMillis;
    double spentUsd;
    private long[] hashes = new long[2];
    private int[] counts = new int[2];
    private int size;
    private int nextReplaced;

    int repeats(long hash) {
      for (int i = 0; i < size; i++) {
        if (hashes[i] == hash) return counts[i];
      }
      return 0;
    }

    void repeat(long hash) {
      for (int i = 0; i < size; i++) {
        if (hashes[i] == hash) {
          counts[i]++;
          return;
        }
      }
      if (size == hashes.length && size < MAX_REPEAT_HASHES) {
        hashes = java.util.Arrays.copyOf(hashes, Math.min(MAX_REPEAT_HASHES, size * 2));
        counts = java.util.Arrays.copyOf(counts, hashes.length);
      }
      int slot = size < hashes.length ? size++ : nextReplaced++ % hashes.length;
      hashes[slot] = hash;
      counts[slot] = 1;
    }
  }

  /** What one admitted call reserved, to be settled once to its real cost. */
  private static final class Reservation {
    final long atMillis;
    final double estimateUsd;
    final Windows[] budgets;
    final TraceState trace;
    boolean settled;

    Reservation(long atMillis, double estimateUsd, Windows[] budgets, TraceState trace) {
      this.atMillis = atMillis;
      this.estimateUsd = estimateUsd;
      this.budgets = budgets;
      this.trace = trace;
    }
  }
}
