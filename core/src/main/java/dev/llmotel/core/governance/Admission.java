package dev.llmotel.core.governance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The store's answer to an {@link AdmissionRequest}: what failed, and the reservation to settle. */
public final class Admission {
  /** Which check failed: a rate limit, a budget (process or workflow), the trace's budget, the loop guard. */
  public enum Check { RATE_LIMIT, BUDGET, TRACE_BUDGET, LOOP_GUARD }

  /** Handed back to {@link PolicyStore#settle}; null when nothing was reserved. */
  final Object reservation;
  final List<Failure> failures;
  /** Per-trace states the store dropped while still in use to stay within its bound (a metric counts them). */
  final long traceStatesEvicted;

  Admission(Object reservation, List<Failure> failures, long traceStatesEvicted) {
    this.reservation = reservation;
    this.failures = failures == null ? Collections.<Failure>emptyList() : failures;
    this.traceStatesEvicted = traceStatesEvicted;
  }

  static final Admission NOTHING = new Admission(null, null, 0);

  boolean refused() {
    for (Failure f : failures) {
      if (f.enforced) return true;
    }
    return false;
  }

  static List<Failure> add(List<Failure> list, Failure f) {
    List<Failure> out = list == null ? new ArrayList<Failure>(2) : list;
    out.add(f);
    return out;
  }

  /** One failed check: its kind, the scope it names, its limit and what the state held. */
  static final class Failure {
    final Check check;
    /** The budget's label (process, workflow X) or the rate limit's key; the window for a budget. */
    final String scope;
    final String window;
    final double limit;
    final double value;
    final boolean enforced;

    Failure(Check check, String scope, String window, double limit, double value, boolean enforced) {
      this.check = check;
      this.scope = scope;
      this.window = window;
      this.limit = limit;
      this.value = value;
      this.enforced = enforced;
    }
  }
}
