package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.PolicyDecision.Kind;
import dev.llmotel.core.governance.Admission.Failure;
import dev.llmotel.core.governance.PolicySettings.Mode;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Decides, before a request leaves the process, whether the policies let it go, and settles what
 * each call spent when it ends. The counting state is the JVM's {@link PolicyStore}: one admission
 * there decides every limit and takes the call's share of each in the same step. The settings can
 * be replaced while running ({@link #settings(PolicySettings)}): each call is decided under one
 * version of them.
 */
final class PolicyEngine {
  private static final Logger logger = Logger.getLogger(PolicyEngine.class.getName());
  static final String TIMEOUT = "timeout";
  static final String INPUT_TOKENS = "input_tokens";
  static final String COST = "cost";
  static final String RATE_LIMIT = "rate_limit";
  static final String LOOP_GUARD = "loop_guard";

  /** What the estimator returns for a model with no price. */
  static final double UNPRICED = -1;

  private volatile PolicySettings settings;
  private final PolicyStore store;
  /** The call's estimated cost in USD before it is sent, or {@link #UNPRICED}. */
  private final ToDoubleFunction<LlmCall> costEstimate;
  private volatile boolean storeFailureLogged;

  PolicyEngine(PolicySettings settings) {
    this(settings, new LocalPolicyStore(10_000, 3_600_000L), c -> 0);
  }

  PolicyEngine(PolicySettings settings, PolicyStore store, ToDoubleFunction<LlmCall> costEstimate) {
    this.settings = settings;
    this.store = store;
    this.costEstimate = costEstimate;
  }

  PolicySettings settings() {
    return settings;
  }

  void settings(PolicySettings next) {
    this.settings = next;
  }

  /**
   * Evaluates every enabled policy; records each decision other than allow on the call. The
   * input-token limit is the request's own property and is decided here; the rest (rate limits,
   * budgets, the loop guard) in one admission of the store.
   */
  void beforeCall(LlmCall call, long nowMillis) {
    PolicySettings s = settings;
    // A call whose request could not be seen whole (a one-shot plain-HTTP body) is counted against
    // every limit but never refused: the store takes its share as for a monitored policy.
    boolean mayRefuse = !call.governance().isPoliciesMonitorOnly();
    if (s.inputTokensMode != Mode.OFF) {
      Long max = s.maxInputTokensByModel.get(call.request().requestModel());
      long limit = max != null ? max : s.maxInputTokens;
      if (limit > 0 && Tokenizers.mayExceed(call, limit)) {
        // Never waits for the tokenizer: until its vocabulary has loaded (in the background) the estimate decides.
        call.governance().estimatedInputTokens(Tokenizers.inputTokensNow(call));
        if (call.governance().estimatedInputTokens() > limit) {
          decide(call, INPUT_TOKENS, s.inputTokensMode, Kind.INVALID_REQUEST, call.governance().estimatedInputTokens()
              + " input tokens, more than the limit of " + limit);
        }
      }
    }
    // A call another policy already refuses takes nothing from the store.
    if (call.governance().refusal() != null) return;
    double estimate = 0;
    if (s.costMode != Mode.OFF) {
      estimate = costEstimate.applyAsDouble(call);
      if (estimate == UNPRICED) {
        estimate = 0;
        if (s.unpricedRefused) {
          // Monitor mode records what enforcing would do, as every policy does.
          decide(call, COST, s.costMode, Kind.RATE_LIMITED, "no price is known for " + call.provider() + " "
              + call.request().requestModel() + " (cost.unpriced is refuse)");
          if (mayRefuse && s.costMode == Mode.ENFORCE) return;
        }
      }
      call.governance().estimatedCostUsd(estimate);
    }
    AdmissionRequest request = admissionRequest(s, call, nowMillis, estimate, mayRefuse);
    if (request.isEmpty()) return;
    Admission admission;
    try {
      admission = store.admit(request);
    } catch (RuntimeException e) {
      // A store that cannot answer never refuses a call on its own account.
      if (!storeFailureLogged) {
        storeFailureLogged = true;
        logger.log(Level.WARNING, "llm-otel: the policy store failed; calls pass unlimited while it does", e);
      }
      return;
    }
    call.governance().policyReservation(admission.reservation);
    if (admission.traceStatesEvicted > 0) GovernanceMetrics.get().traceStatesEvicted(admission.traceStatesEvicted);
    for (Failure f : admission.failures) {
      call.governance().addPolicyDecision(new PolicyDecision(policyOf(f), f.enforced, kindOf(f), message(s, call, f)));
    }
  }

  private static AdmissionRequest admissionRequest(PolicySettings s, LlmCall call, long now, double estimate,
      boolean mayRefuse) {
    AdmissionRequest r = new AdmissionRequest(now, estimate);
    if (s.rateLimitMode != Mode.OFF) {
      Long perModel = s.callsPerMinuteByModel.get(call.request().requestModel());
      long limit = perModel != null ? perModel : s.callsPerMinute;
      if (limit > 0) r.rate("rate/" + call.provider() + "/" + call.request().requestModel(), limit, mayRefuse && s.rateLimitMode == Mode.ENFORCE);
    }
    boolean costEnforced = mayRefuse && s.costMode == Mode.ENFORCE;
    if (s.costMode != Mode.OFF) {
      if (s.processCaps.any()) {
        r.budget("cost/process", "process", s.processCaps.perMinute, s.processCaps.perHour, s.processCaps.perDay,
            costEnforced);
      }
      PolicySettings.Caps caps = call.governance().workflow() == null ? null : s.workflowCaps.get(call.governance().workflow());
      if (caps != null && caps.any()) {
        r.budget("cost/workflow/" + call.governance().workflow(), "workflow " + call.governance().workflow(), caps.perMinute, caps.perHour,
            caps.perDay, costEnforced);
      }
    }
    boolean traceBudget = s.costMode != Mode.OFF && s.perTraceUsd > 0;
    boolean loopGuard = s.loopGuardMode != Mode.OFF;
    if (call.governance().traceId() != null && (traceBudget || loopGuard)) {
      r.trace(call.governance().traceId(), traceBudget ? s.perTraceUsd : 0, costEnforced,
          loopGuard ? hash64(call.requestHash()) : null, s.maxRepeats, mayRefuse && s.loopGuardMode == Mode.ENFORCE);
    }
    return r;
  }

  /** The first 64 bits of a hex request hash (any other text: its string hash, which still tells repeats apart). */
  static long hash64(String hex) {
    try {
      return Long.parseUnsignedLong(hex.length() > 16 ? hex.substring(0, 16) : hex, 16);
    } catch (NumberFormatException e) {
      return hex.hashCode();
    }
  }

  private static String policyOf(Failure f) {
    switch (f.check) {
      case RATE_LIMIT: return RATE_LIMIT;
      case LOOP_GUARD: return LOOP_GUARD;
      default: return COST;
    }
  }

  private static Kind kindOf(Failure f) {
    return f.check == Admission.Check.LOOP_GUARD ? Kind.INVALID_REQUEST : Kind.RATE_LIMITED;
  }

  private static String message(PolicySettings s, LlmCall call, Failure f) {
    switch (f.check) {
      case RATE_LIMIT:
        return (long) f.limit + " calls per minute to " + call.provider() + " " + call.request().requestModel() + " reached";
      case LOOP_GUARD:
        return "the same request was sent " + (long) f.value + " times in this trace (max_repeats "
            + (long) f.limit + ")";
      case TRACE_BUDGET:
        return String.format(Locale.ROOT, "budget of %.4f USD per trace reached (spent %.4f USD, this call "
            + "estimated at %.4f USD)", f.limit, f.value, call.governance().estimatedCostUsd());
      default:
        return String.format(Locale.ROOT, "%s budget of %.4f USD per %s reached (spent %.4f USD, this call "
            + "estimated at %.4f USD)", f.scope, f.limit, f.window, f.value, call.governance().estimatedCostUsd());
    }
  }

  /** The output_validation policy's mode: "off", "monitor" or "enforce". */
  String outputValidationMode() {
    return settings.outputValidationMode.name().toLowerCase(Locale.ROOT);
  }

  double confidenceThreshold() {
    return settings.confidenceThreshold;
  }

  /** The ceiling a library should apply as its own request timeout, or 0 for none. */
  long enforcedTimeoutMillis() {
    PolicySettings s = settings;
    return s.timeoutMode == Mode.ENFORCE ? s.timeoutMillis : 0;
  }

  /** The ceiling on a stream's wait for data (its first chunk included), or 0 for none. */
  long enforcedFirstChunkMillis() {
    PolicySettings s = settings;
    return s.timeoutMode == Mode.ENFORCE ? s.firstChunkMillis : 0;
  }

  /**
   * At the end of a call, whatever its outcome: its reservation is settled to what it really cost
   * (0 for a call that failed before the provider counted anything), and a monitored timeout says
   * what it would have done.
   */
  void afterCall(LlmCall call, long nowMillis, long durationNanos) {
    Object reservation = call.governance().takePolicyReservation();
    if (reservation != null) {
      Double cost = call.governance().costUsd();
      try {
        store.settle(reservation, cost == null ? 0 : cost, nowMillis);
      } catch (RuntimeException e) {
        if (!storeFailureLogged) {
          storeFailureLogged = true;
          logger.log(Level.WARNING, "llm-otel: the policy store failed to settle a call's spend", e);
        }
      }
    }
    PolicySettings s = settings;
    Double ttfc = call.timeToFirstChunkSeconds();
    if (s.timeoutMode == Mode.MONITOR && s.firstChunkMillis > 0 && ttfc != null
        && ttfc * 1000 > s.firstChunkMillis) {
      decide(call, TIMEOUT, Mode.MONITOR, Kind.TIMEOUT, String.format(Locale.ROOT,
          "first chunk after %.0f ms, more than the first-chunk timeout of %d ms", ttfc * 1000,
          s.firstChunkMillis));
    } else if (s.timeoutMode == Mode.MONITOR && s.timeoutMillis > 0
        && durationNanos > s.timeoutMillis * 1_000_000L) {
      decide(call, TIMEOUT, Mode.MONITOR, Kind.TIMEOUT, "took " + durationNanos / 1_000_000L
          + " ms, more than the timeout of " + s.timeoutMillis + " ms");
    }
  }

  /** What a budget holds now (for tests and the runbook's read-out), reservations included. */
  double[] spent(String budgetKey, long nowMillis) {
    return store.spent(budgetKey, nowMillis);
  }

  private static void decide(LlmCall call, String policy, Mode mode, Kind kind, String message) {
    call.governance().addPolicyDecision(new PolicyDecision(policy, mode == Mode.ENFORCE, kind, message));
  }
}
