package dev.llmotel.core.governance;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.LlmOtelConfig;
import io.opentelemetry.api.baggage.Baggage;
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

  Governance(PromptRegistry registry, PriceTable prices, PolicySettings settings, int maxWorkflows) {
    this.registry = registry;
    this.prices = prices;
    this.workflows = new Workflows(settings.workflowRules, maxWorkflows);
    this.policies = new PolicyEngine(settings);
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
    int maxWorkflows = LlmOtelConfig.readInt(PREFIX + "workflow.max-values", 100, 1, 10_000);
    return new Governance(registry, prices, PolicySettings.load(), maxWorkflows);
  }

  /** At call start, before the span starts and before anything leaves the process. */
  public void beforeCall(Context parent, LlmCall call) {
    String fingerprint = Fingerprints.promptFingerprint(call);
    call.promptFingerprint(fingerprint);
    call.requestHash(Fingerprints.requestHash(call));
    resolvePromptVersion(parent, call, fingerprint);
    if (seenFingerprints.size() < MAX_REMEMBERED && seenFingerprints.add(fingerprint)) {
      call.newPromptVersion(true);
    }
    call.workflow(workflows.resolve(parent));
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    if (parentSpan.isValid()) call.traceId(parentSpan.getTraceId());
    policies.beforeCall(call, System.currentTimeMillis());
  }

  private void resolvePromptVersion(Context parent, LlmCall call, String fingerprint) {
    Baggage baggage = Baggage.fromContext(parent);
    String version = baggage.getEntryValue(BAGGAGE_PROMPT_VERSION);
    if (version != null && !version.isEmpty()) {
      call.promptVersion(baggage.getEntryValue(BAGGAGE_PROMPT_NAME), version);
      return;
    }
    String[] declared = registry.lookup(fingerprint, systemText(call));
    if (declared != null) {
      call.promptVersion(declared[0], declared[1]);
    } else {
      call.promptVersion(null, fingerprint);
    }
  }

  private static String systemText(LlmCall call) {
    if (call.systemInstructions().isEmpty()) return null;
    StringBuilder sb = new StringBuilder();
    for (LlmMessage.Part p : call.systemInstructions()) {
      if (p.content != null) sb.append(p.content).append('\n');
    }
    return sb.toString();
  }

  /** The request timeout a library should apply to a call, in milliseconds, or 0 for none. */
  public long timeoutMillis() {
    return policies.enforcedTimeoutMillis();
  }

  /** The longest a stream may wait for data, its first chunk included, in milliseconds, or 0. */
  public long firstChunkTimeoutMillis() {
    return policies.enforcedFirstChunkMillis();
  }

  /** At call end, before the span ends: cost, spend accounting, monitored timeouts. */
  public void afterCall(LlmCall call, long durationNanos) {
    call.costUsd(cost(call));
    policies.afterCall(call, System.currentTimeMillis(), durationNanos);
  }

  /** What this call's usage costs by the price table, or null (no usage, or no price for its model). */
  public Double costOf(LlmCall call) {
    return cost(call);
  }

  private Double cost(LlmCall call) {
    Long input = call.inputTokens();
    Long output = call.outputTokens();
    if (input == null && output == null) return null;
    PriceTable.Price price = prices.find(call.provider(), call.responseModel());
    if (price == null) price = prices.find(call.provider(), call.requestModel());
    if (price == null) {
      String model = call.responseModel() != null ? call.responseModel() : call.requestModel();
      if (unpricedModels.size() < MAX_REMEMBERED && unpricedModels.add(call.provider() + "/" + model)) {
        logger.log(Level.WARNING, "llm-otel: no price for {0} model {1}; its calls get no cost (tokens are "
            + "still counted). Add it to a price file ({2}prices).", new Object[] {call.provider(), model, PREFIX});
      }
      return null;
    }
    return price.cost(orZero(input), orZero(output), orZero(call.cacheReadInputTokens()),
        orZero(call.cacheCreationInputTokens()));
  }

  private static long orZero(Long v) {
    return v == null ? 0 : v;
  }

}
