package dev.llmotel.core.governance;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call asks of the {@link PolicyStore} before it is sent: a slot in each rate limit, its
 * estimated cost in each budget (the process's, its workflow's, its trace's), and one more repeat
 * of its request hash in its trace. Only the checks of policies that are on are present.
 */
public final class AdmissionRequest {
  final long nowMillis;
  final double estimateUsd;
  final List<RateCheck> rates = new ArrayList<>(1);
  final List<BudgetCheck> budgets = new ArrayList<>(2);
  String traceId;
  double perTraceUsd;
  boolean traceBudgetEnforced;
  /** The request hash's first 64 bits for the loop guard, or null when the guard is off. */
  Long repeatHash;
  long maxRepeats;
  boolean loopGuardEnforced;

  public AdmissionRequest(long nowMillis, double estimateUsd) {
    this.nowMillis = nowMillis;
    this.estimateUsd = Math.max(0, estimateUsd);
  }

  public AdmissionRequest rate(String key, long callsPerMinute, boolean enforced) {
    rates.add(new RateCheck(key, callsPerMinute, enforced));
    return this;
  }

  /** A budget in USD per minute, hour and day (0: no cap for that window). */
  public AdmissionRequest budget(String key, String label, double perMinute, double perHour, double perDay,
      boolean enforced) {
    budgets.add(new BudgetCheck(key, label, perMinute, perHour, perDay, enforced));
    return this;
  }

  /** The trace-scoped checks: a budget per trace (0: none) and the loop guard (null hash: off). */
  public AdmissionRequest trace(String traceId, double perTraceUsd, boolean budgetEnforced, Long repeatHash,
      long maxRepeats, boolean loopGuardEnforced) {
    this.traceId = traceId;
    this.perTraceUsd = perTraceUsd;
    this.traceBudgetEnforced = budgetEnforced;
    this.repeatHash = repeatHash;
    this.maxRepeats = maxRepeats;
    this.loopGuardEnforced = loopGuardEnforced;
    return this;
  }

  boolean isEmpty() {
    return rates.isEmpty() && budgets.isEmpty() && traceId == null;
  }

  static final class RateCheck {
    final String key;
    final long limit;
    final boolean enforced;

    RateCheck(String key, long limit, boolean enforced) {
      this.key = key;
      this.limit = limit;
      this.enforced = enforced;
    }
  }

  static final class BudgetCheck {
    final String key;
    final String label;
    final double perMinute;
    final double perHour;
    final double perDay;
    final boolean enforced;

    BudgetCheck(String key, String label, double perMinute, double perHour, double perDay, boolean enforced) {
      this.key = key;
      this.label = label;
      this.perMinute = perMinute;
      this.perHour = perHour;
      this.perDay = perDay;
      this.enforced = enforced;
    }
  }
}
