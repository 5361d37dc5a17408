package dev.llmotel.core;

import java.util.ArrayList;
import java.util.List;

/**
 * What governance decided and computed for one LLM call: the prompt's fingerprint and version, the
 * request's hash, the workflow, the policy decisions, the cost and the reservation the cost policy
 * holds while the call runs. Written by the core's governance only; the library modules read the
 * refusal to fail the call their library's way.
 */
public final class CallGovernance {
  private String promptFingerprint;
  private String requestHash;
  private String promptName;
  private String promptVersion;
  private boolean newPromptVersion;
  private String workflow;
  private String traceId;
  private long estimatedInputTokens;
  private final List<PolicyDecision> policyDecisions = new ArrayList<>();
  private boolean refusalDeferred;
  private boolean policiesMonitorOnly;
  private Double costUsd;
  private double estimatedCostUsd;
  private Object policyReservation;

  CallGovernance() {}

  public synchronized String promptFingerprint() { return promptFingerprint; }
  public synchronized void promptFingerprint(String v) { this.promptFingerprint = v; }
  public synchronized String requestHash() { return requestHash; }
  public synchronized void requestHash(String v) { this.requestHash = v; }
  public synchronized String promptName() { return promptName; }
  public synchronized String promptVersion() { return promptVersion; }
  public synchronized void promptVersion(String name, String version) { this.promptName = name; this.promptVersion = version; }
  public synchronized boolean newPromptVersion() { return newPromptVersion; }
  public synchronized void newPromptVersion(boolean v) { this.newPromptVersion = v; }
  public synchronized String workflow() { return workflow; }
  public synchronized void workflow(String v) { this.workflow = v; }
  public synchronized String traceId() { return traceId; }
  public synchronized void traceId(String v) { this.traceId = v; }
  public synchronized long estimatedInputTokens() { return estimatedInputTokens; }
  public synchronized void estimatedInputTokens(long v) { this.estimatedInputTokens = v; }

  public synchronized List<PolicyDecision> policyDecisions() { return new ArrayList<>(policyDecisions); }

  public synchronized void addPolicyDecision(PolicyDecision d) {
    if (policiesMonitorOnly && d.refused()) d = new PolicyDecision(d.policy, false, d.kind, d.message);
    policyDecisions.add(d);
  }

  /** The first decision that refuses the call, or null when every policy let it through. */
  public synchronized PolicyDecision refusal() {
    for (PolicyDecision d : policyDecisions) {
      if (d.refused()) return d;
    }
    return null;
  }

  /**
   * A framework's call refused by a policy whose framework has no exception of its own for that
   * condition: the provider SDK it calls next throws its own instead, from that SDK's
   * instrumentation, which takes the refusal here (once) and sends nothing.
   */
  public synchronized void deferRefusalToSdk() { this.refusalDeferred = true; }

  public synchronized PolicyDecision takeDeferredRefusal() {
    if (!refusalDeferred) return null;
    refusalDeferred = false;
    return refusal();
  }

  /**
   * No policy may refuse this call, because the layer that made it could not see the request whole
   * (a plain HTTP body that can be sent only once): policies still decide and count the call, but
   * every refusing decision, recorded before or after, is a monitor-only one ({@code would_refuse}),
   * so {@link #refusal()} is null.
   */
  public synchronized void policiesMonitorOnly() {
    policiesMonitorOnly = true;
    for (int i = 0; i < policyDecisions.size(); i++) {
      PolicyDecision d = policyDecisions.get(i);
      if (d.refused()) policyDecisions.set(i, new PolicyDecision(d.policy, false, d.kind, d.message));
    }
  }

  public synchronized boolean isPoliciesMonitorOnly() { return policiesMonitorOnly; }

  /** What the call cost, in USD; null when its model has no price or no usage is known. */
  public synchronized Double costUsd() { return costUsd; }
  public synchronized void costUsd(Double v) { this.costUsd = v; }

  /** What the cost policy reserved for this call before it was sent, in USD. */
  public synchronized double estimatedCostUsd() { return estimatedCostUsd; }
  public synchronized void estimatedCostUsd(double v) { this.estimatedCostUsd = v; }

  /** The policy store's reservation, settled once when the call ends. */
  public synchronized void policyReservation(Object v) { this.policyReservation = v; }

  public synchronized Object takePolicyReservation() {
    Object r = policyReservation;
    policyReservation = null;
    return r;
  }
}
