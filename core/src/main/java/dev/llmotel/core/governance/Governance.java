package dev.llmotel.core.governance;

import dev.llmotel.semconv.LlmOtelAttributes;

import dev.llmotel.core.AttemptLog;
import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmOtelConfig;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the extension adds on top of the GenAI conventions, for every library alike: prompt
 * fingerprints and versions, the workflow, cost, and the policies. Library modules never call it:
 * {@link dev.llmotel.core.LlmInstrumenter} does at the start and end of every call.
 */
public final class Governance {
  private static final Logger logger = Logger.getLogger(Governance.class.getName());
  static final String PREFIX = PolicySettings.PREFIX;
  static final String BAGGAGE_PROMPT_VERSION = "llm_otel.prompt.version";
  static final String BAGGAGE_PROMPT_NAME = "llm_otel.prompt.name";
  private static final int MAX_REMEMBERED = 10_000;

  private static volatile Governance instance;

  private final PromptRegistry registry;
  private final PriceTable prices;
  private final Workflows workflows;
  private final PolicyEngine policies;
  private final Set<String> seenFingerprints = ConcurrentHashMap.newKeySet();
  private final Set<String> unpricedModels = ConcurrentHashMap.newKeySet();
  private final PolicyFileWatcher watcher;
  /** {@value #REQUEST_HASH_KEY}: the request hash on every call's span, not only where the loop guard counts it. */
  static final String REQUEST_HASH_KEY = PREFIX + "request-hash.enabled";
  private final boolean hashEveryRequest = LlmOtelConfig.readBoolean(REQUEST_HASH_KEY, false);

  /** With a store of its own (tests, benchmarks): nothing shared with other instances. */
  /** The policy state (the JVM's, or a test's): also the evaluation budget's. */
  private final PolicyStore store;

  Governance(PromptRegistry registry, PriceTable prices, PolicySettings settings, int maxWorkflows) {
    this(registry, prices, settings, maxWorkflows, new LocalPolicyStore(10_000, 3_600_000L));
  }

  Governance(PromptRegistry registry, PriceTable prices, PolicySettings settings, int maxWorkflows,
      PolicyStore store) {
    this.registry = registry;
    this.prices = prices;
    this.workflows = new Workflows(maxWorkflows);
    this.policies = new PolicyEngine(settings, store, this::estimateCost);
    this.store = store;
    String file = PolicySettings.policyFile();
    this.watcher = file == null ? null : new PolicyFileWatcher(file, policies);
  }

  /** Tests only: the instance {@link #get} returns from now on (null: load from configuration again). */
  static void install(Governance g) {
    instance = g;
  }

  /** Loaded once from configuration; any file problem is one log line and a safe fallback. */
  public static Governance get() {
    Governance g = instance;
    if (g == null) {
      synchronized (Governance.class) {
        g = instance;
        if (g == null) {
          g = load();
          instance = g;
        }
      }
    }
    return g;
  }

  private static Governance load() {
    PromptRegistry registry = PromptRegistry.EMPTY;
    String registryFile = LlmOtelConfig.raw(PREFIX + "prompt-registry");
    if (registryFile != null && !registryFile.isEmpty()) {
      try {
        registry = PromptRegistry.parse(GovernanceFiles.read(registryFile));
      } catch (Exception e) {
        ConfigProblems.report(logger, "llm-otel: prompt registry {0} is invalid ({1}); prompt versions fall back "
            + "to fingerprints", new Object[] {registryFile, e.getMessage()});
      }
    }
    PriceTable prices = PriceTable.bundled();
    String pricesFile = LlmOtelConfig.raw(PREFIX + "prices");
    if (pricesFile != null && !pricesFile.isEmpty()) {
      try {
        prices = PriceTable.withOverrides(prices, GovernanceFiles.read(pricesFile));
      } catch (Exception e) {
        ConfigProblems.report(logger, "llm-otel: price file {0} is invalid ({1}); using the bundled prices of {2}",
            new Object[] {pricesFile, e.getMessage(), PriceTable.BUNDLED_DATE});
      }
    }
    ConfigProblems.info(logger, "llm-otel: prices as published on {0} ({1}); a price file ({2}prices) "
        + "overrides them", new Object[] {prices.taken(), pricesFile == null || pricesFile.isEmpty()
            ? "bundled" : "bundled, with " + pricesFile + " on top", PREFIX});
    int maxWorkflows = LlmOtelConfig.readInt(PREFIX + "workflow.max-values", 100, 1, 10_000);
    PolicySettings settings = PolicySettings.load();
    if (settings.inputTokensMode != PolicySettings.Mode.OFF) Tokenizers.prepare();
    return new Governance(registry, prices, settings, maxWorkflows, PolicyStores.get());
  }

  /** At call start, before the span starts and before anything leaves the process. */
  public void beforeCall(Context parent, LlmCall call) {
    if (watcher != null) watcher.start();
    String fingerprint = Fingerprints.promptFingerprint(call);
    call.governance().promptFingerprint(fingerprint);
    PolicySettings settings = policies.settings();
    // The whole request's hash goes on the span when the loop guard counts it or the operator asks for
    // it; other features compute it only when they need it (LlmCall.requestHash).
    if (hashEveryRequest || settings.loopGuardMode != PolicySettings.Mode.OFF) call.requestHash();
    resolvePromptVersion(parent, call, fingerprint, settings);
    if (fingerprint != null && seenFingerprints.size() < MAX_REMEMBERED && seenFingerprints.add(fingerprint)) {
      call.governance().newPromptVersion(true);
    }
    call.governance().workflow(workflows.resolve(parent, settings));
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    if (parentSpan.isValid()) call.governance().traceId(parentSpan.getTraceId());
    // A judge's call has its own budget (reserveEvaluation): it takes nothing from the app's limits, so
    // evaluation can never make the app's own calls refused.
    if (call.evaluation().isJudge()) return;
    policies.beforeCall(call, System.currentTimeMillis());
  }

  private void resolvePromptVersion(Context parent, LlmCall call, String fingerprint, PolicySettings settings) {
    Baggage baggage = Baggage.fromContext(parent);
    BaggageEntry version = baggage.getEntry(BAGGAGE_PROMPT_VERSION);
    // A prompt version is a label, but one that reaches metrics: a remote caller's is data, not taken.
    if (version != null && !version.getValue().isEmpty()
        && (!RemoteBaggage.isRemote(version) || settings.trustRemoteBaggage)) {
      String name = baggage.getEntryValue(BAGGAGE_PROMPT_NAME);
      call.governance().promptVersion(name == null ? null : cut(name), cut(version.getValue()));
      return;
    }
    // No template (no fingerprint): no version either, unless the app's baggage named one above.
    if (fingerprint == null) return;
    String[] declared = registry.find(fingerprint, call);
    if (declared != null) {
      call.governance().promptVersion(declared[0], declared[1]);
    } else {
      call.governance().promptVersion(null, fingerprint);
    }
  }

  private static String cut(String value) {
    return value.length() > Workflows.MAX_LENGTH ? value.substring(0, Workflows.MAX_LENGTH) : value;
  }

  /** The request timeout a library should apply to a call, in milliseconds, or 0 for none. */
  public long timeoutMillis() {
    return policies.enforcedTimeoutMillis();
  }

  /** Whether an answer that fails the structure its request declared fails the call (policy output_validation). */
  public boolean outputValidationEnforced() {
    return "enforce".equals(policies.outputValidationMode());
  }

  /** Whether a failed check is recorded as the policy output_validation's would_refuse. */
  /** The workflow of work started in this context (a tool execution's: what its fault rules select on). */
  public String workflowOf(Context parent) {
    return workflows.resolve(parent, policies.settings());
  }

  /** The policy file's evaluation section, as loaded now (it reloads with the file). */
  public dev.llmotel.core.evaluation.EvaluationPolicy evaluationPolicy() {
    return policies.settings().evaluation;
  }

  public boolean outputValidationMonitored() {
    return "monitor".equals(policies.outputValidationMode());
  }

  /** Answers whose mean token probability is below this are escalated as low_confidence. */
  public double confidenceThreshold() {
    return policies.confidenceThreshold();
  }

  /** The longest a stream may wait for data, its first chunk included, in milliseconds, or 0. */
  public long firstChunkTimeoutMillis() {
    return policies.enforcedFirstChunkMillis();
  }

  /**
   * At call end, before the span ends: usage llm-otel must estimate (a stream that reported none),
   * cost, the settlement of the call's reservation, monitored timeouts.
   */
  public void afterCall(LlmCall call, long durationNanos) {
    estimateMissingUsage(call);
    call.governance().costUsd(cost(call));
    policies.afterCall(call, System.currentTimeMillis(), durationNanos);
  }

  /**
   * A stream that delivered chunks but no usage (an OpenAI stream without include_usage, any stream
   * closed before its usage event) was still billed: its input is counted as at admission (the
   * input-token policy's count, else the estimate) and its output from the characters received, and the
   * call says so (llm_otel.usage.estimated). A call that failed before any chunk spent nothing.
   */
  private void estimateMissingUsage(LlmCall call) {
    if (!call.request().streaming()) {
      estimateUnreadAnswer(call);
      return;
    }
    if (call.response().chunkCount() == 0) return;
    if (call.response().inputTokens() != null && call.response().outputTokens() != null) return;
    // The input-token policy's count when it made one, else the character estimate: loading a tokenizer
    // vocabulary (tens of MB) for this alone is not worth it.
    Long input = call.response().inputTokens() != null ? null
        : call.governance().estimatedInputTokens() > 0 ? call.governance().estimatedInputTokens() : Fingerprints.estimateInputTokens(call);
    Long output = call.response().outputTokens() == null ? Tokenizers.estimateTextTokens(call.response().outputCharacters()) : null;
    call.response().estimatedUsage(input, output);
    GovernanceMetrics.get().usageEstimated(call.provider(), call.request().requestModel());
  }

  /**
   * The provider answered the call (an attempt ended with a 2xx status) but its answer never reached
   * the mapping: the app cancelled the call while the request was in flight, or stopped reading. The
   * provider billed it all the same, so its usage is what its reservation assumed (the input estimate
   * and the request's maximum output, else the configured estimate), marked as estimated.
   */
  private void estimateUnreadAnswer(LlmCall call) {
    if (call.response().inputTokens() != null || call.response().outputTokens() != null || call.response().responseId() != null) return;
    boolean answered = false;
    for (AttemptLog.Attempt attempt : call.attemptLog().attempts()) {
      if (attempt.statusCode != null && attempt.statusCode >= 200 && attempt.statusCode < 300) answered = true;
    }
    if (!answered) return;
    long input = call.governance().estimatedInputTokens() > 0 ? call.governance().estimatedInputTokens() : Fingerprints.estimateInputTokens(call);
    Long max = call.request().maxTokens();
    long output = "embeddings".equals(call.operation()) ? 0
        : max != null && max > 0 ? max : policies.settings().estimatedOutputTokens;
    call.response().estimatedUsage(input, output);
    GovernanceMetrics.get().usageEstimated(call.provider(), call.request().requestModel());
  }

  /** {@link #reserveEvaluation}'s answer when no evaluation budget is set: nothing to settle. */
  public static final Object NO_EVALUATION_BUDGET = new Object();

  /**
   * The judge's own budget (online evaluation), enforced whatever mode the cost policy is in: reserves
   * the judge call's estimated cost in USD per hour and per day (0: no cap for that window), in the
   * JVM's policy store, so it holds across class loaders and, with a shared store, across replicas.
   * Returns the reservation to settle, {@link #NO_EVALUATION_BUDGET} with no cap, or null when the
   * budget is spent. A store that fails admits (as for every policy: unavailable is not a refusal).
   */
  public Object reserveEvaluation(LlmCall judgeCall, double perHourUsd, double perDayUsd) {
    if (perHourUsd <= 0 && perDayUsd <= 0) return NO_EVALUATION_BUDGET;
    AdmissionRequest request = new AdmissionRequest(System.currentTimeMillis(), estimateCost(judgeCall))
        .budget(EVALUATION_BUDGET, LlmOtelAttributes.WORKFLOW_EVALUATION, 0, perHourUsd, perDayUsd, true);
    Admission admission;
    try {
      admission = store.admit(request);
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "llm-otel: the policy store failed; the evaluation budget admits", e);
      return NO_EVALUATION_BUDGET;
    }
    if (admission.refused()) return null;
    return admission.reservation == null ? NO_EVALUATION_BUDGET : admission.reservation;
  }

  /** Settles a judge call's reservation to what it cost (its usage by the price table; 0 without usage). */
  public void settleEvaluation(Object reservation, LlmCall judgeCall) {
    if (reservation == null || reservation == NO_EVALUATION_BUDGET) return;
    Double cost = judgeCall.governance().costUsd();
    try {
      store.settle(reservation, cost == null ? 0 : cost, System.currentTimeMillis());
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "llm-otel: the policy store failed to settle an evaluation", e);
    }
  }

  /** What the evaluation budget holds now, USD {minute, hour, day}: for tests and operators. */
  public double[] evaluationSpent() {
    return store.spent(EVALUATION_BUDGET, System.currentTimeMillis());
  }

  private static final String EVALUATION_BUDGET = "evaluation";

  /** What this call's usage costs by the price table, or null (no usage, or no price for its model). */
  public Double costOf(LlmCall call) {
    return cost(call);
  }

  /**
   * The cost a call may reach, before it is sent, for its budget reservation: its input tokens at
   * the input price, plus its maximum output tokens (the request's own limit, else the configured
   * estimate) at the output price. Input is the character estimate (media by the providers' rules),
   * not the tokenizer: a tokenizer pass costs tens of microseconds a call, and the reservation is
   * settled to the real usage anyway; the input-token policy, whose limit is exact, tokenizes.
   */
  private double estimateCost(LlmCall call) {
    PriceTable.Price price = prices.find(call.provider(), call.request().requestModel());
    if (price == null) return PolicyEngine.UNPRICED;
    long input = call.governance().estimatedInputTokens() > 0 ? call.governance().estimatedInputTokens() : Fingerprints.estimateInputTokens(call);
    Long max = call.request().maxTokens();
    long output = max != null && max > 0 ? max : policies.settings().estimatedOutputTokens;
    if ("embeddings".equals(call.operation())) output = 0;
    return price.cost(input, output, 0, 0);
  }

  private Double cost(LlmCall call) {
    Long input = call.response().inputTokens();
    Long output = call.response().outputTokens();
    if (input == null && output == null) return null;
    PriceTable.Price price = prices.find(call.provider(), call.response().responseModel());
    if (price == null) price = prices.find(call.provider(), call.request().requestModel());
    if (price == null) {
      String model = call.response().responseModel() != null ? call.response().responseModel() : call.request().requestModel();
      GovernanceMetrics.get().unpriced(call.provider(), model);
      if (unpricedModels.size() < MAX_REMEMBERED && unpricedModels.add(call.provider() + "/" + model)) {
        // A call that names no model cannot be priced by any file: the unpriced policy is the only choice then.
        String what = model == null ? "calls of {0} that name no model (neither request nor response); they"
            : "{0} model {1}; its calls";
        String choice = model == null ? "Set" : "Add it to a price file ({2}prices), or set";
        logger.log(Level.WARNING, "llm-otel: no price for " + what + " get no cost and add nothing to budgets (tokens "
            + "are still counted; llm_otel.cost.unpriced counts them). " + choice + " {2}cost.unpriced=refuse to refuse "
            + "such calls while the cost policy enforces.", new Object[] {call.provider(), model, PREFIX});
      }
      return null;
    }
    return price.cost(orZero(input), orZero(output), orZero(call.response().cacheReadInputTokens()),
        orZero(call.response().cacheCreationInputTokens()));
  }

  /** What a budget holds now, reservations included, USD {minute, hour, day}: for tests and operators. */
  double[] spent(String budgetKey) {
    return policies.spent(budgetKey, System.currentTimeMillis());
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

}
