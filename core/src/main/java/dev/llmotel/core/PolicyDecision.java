package dev.llmotel.core;

/** What a policy decided about one call, when it did anything but allow it. */
public final class PolicyDecision {
  /** How a library should fail a refused call: the way it fails on its own for that condition. */
  public enum Kind {
    /** Too many calls or too much spend: the provider's 429. */
    RATE_LIMITED,
    /** A request the policy will not send (too large, a loop): the provider's 400. */
    INVALID_REQUEST,
    /** Took or would take too long: the library's own timeout. */
    TIMEOUT,
    /** An answer the app cannot use (not the structure it asked for): the library's own invalid-data failure. */
    UNUSABLE_ANSWER
  }

  public static final String REFUSED = "refused";
  public static final String WOULD_REFUSE = "would_refuse";

  public final String policy;
  public final String decision;
  public final Kind kind;
  public final String message;

  public PolicyDecision(String policy, boolean enforce, Kind kind, String message) {
    this.policy = policy;
    this.decision = enforce ? REFUSED : WOULD_REFUSE;
    this.kind = kind;
    this.message = message;
  }

  public boolean refused() {
    return REFUSED.equals(decision);
  }

  /** The message a refused call's exception carries: it names the policy and the limit. */
  public String exceptionMessage() {
    if (kind == Kind.UNUSABLE_ANSWER) return "llm-otel policy " + policy + " rejected this call's answer: " + message;
    return "llm-otel policy " + policy + " refused this call: " + message;
  }
}
