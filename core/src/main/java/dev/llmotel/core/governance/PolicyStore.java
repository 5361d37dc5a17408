package dev.llmotel.core.governance;

/**
 * The state behind the policies: calls per rate-limit window, spend per budget window, and per
 * trace its spend and how often each request was repeated. Every operation decides and takes in
 * one step, so concurrent callers against a limit of N admit at most N.
 *
 * <p>The in-JVM implementation is {@link LocalPolicyStore}, one per JVM whichever class loader
 * asks ({@link PolicyStores}). A shared store (Redis) implements the same operations as single
 * atomic operations on its server; its operations are remote and can fail: callers treat an
 * exception as the store being unavailable, never as a refusal.
 */
public interface PolicyStore {
  /**
   * Evaluates every check of the request against the current state. When an enforced check fails,
   * nothing is taken and the failures are returned; otherwise the call's rate-limit slots, its
   * estimated cost in every budget and its repeat count are all taken at once, and the failures of
   * monitored checks are returned for the record.
   */
  Admission admit(AdmissionRequest request);

  /**
   * Replaces a reservation's estimate by the call's real cost (also after a failure or a
   * cancellation, with what it really cost, often 0). Settling twice changes nothing.
   */
  void settle(Object reservation, double actualUsd, long nowMillis);

  /** What a budget holds now, reservations included: USD in its {minute, hour, day} windows. */
  double[] spent(String budgetKey, long nowMillis);
}
