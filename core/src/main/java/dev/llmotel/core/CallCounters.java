package dev.llmotel.core;

import dev.llmotel.semconv.GenAiAttributes;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.Arrays;
import java.util.List;

/**
 * The counters that need the whole call rather than its span attributes: policy decisions, retries
 * (with the reason for each) and calls by prompt version, the series an operator alerts on when a
 * policy refuses, a provider starts throttling or someone ships a new prompt.
 */
final class CallCounters {
  /** Distinct prompt (name, version) pairs kept as metric values; later ones become "_OTHER". */
  static final int MAX_PROMPT_VERSIONS = 100;
  static final String OVERFLOW = "_OTHER";

  private final LongCounter policyDecisions;
  private final LongCounter retries;
  private final LongCounter promptCalls;
  private final BoundedValueSet promptVersionsSeen = new BoundedValueSet(MAX_PROMPT_VERSIONS);
  private final AttributeSetCache<Attributes> promptCallSets = new AttributeSetCache<>(LlmMetrics.MAX_CACHED_SETS);

  CallCounters(Meter meter) {
    policyDecisions = meter.counterBuilder("llm_otel.policy.decisions")
        .setUnit("{decision}")
        .setDescription("Policy decisions other than allow, by policy and decision.")
        .build();
    retries = meter.counterBuilder("llm_otel.retries")
        .setUnit("{retry}")
        .setDescription("Retried attempts of LLM calls, by the error.type of the attempt that was retried.")
        .build();
    promptCalls = meter.counterBuilder("llm_otel.prompt.calls")
        .setUnit("{call}")
        .setDescription("LLM calls by prompt name and version.")
        .build();
  }

  void record(Context context, LlmCall call) {
    for (PolicyDecision d : call.governance().policyDecisions()) {
      policyDecisions.add(1, callAttributes(call)
          .put(LlmOtelAttributes.POLICY_NAME, d.policy)
          .put(LlmOtelAttributes.POLICY_DECISION, d.decision)
          .build(), context);
    }
    for (String reason : call.attemptLog().retryReasons()) {
      retries.add(1, callAttributes(call).put(GenAiAttributes.ERROR_TYPE, reason).build(), context);
    }
    String version = call.governance().promptVersion();
    if (version != null) {
      String name = call.governance().promptName();
      String key = name == null ? version : name + '\n' + version;
      boolean kept = promptVersionsSeen.admit(key);
      promptCalls.add(1, promptCallSets.get(Arrays.<Object>asList(call.provider(), call.request().requestModel(),
          call.governance().workflow(), kept ? name : null, kept ? version : OVERFLOW), CallCounters::promptCallAttributes),
          context);
    }
  }

  /** Provider, request model, workflow, prompt name and version (each may be null but the provider). */
  private static Attributes promptCallAttributes(List<Object> values) {
    AttributesBuilder b = Attributes.builder().put(GenAiAttributes.PROVIDER_NAME, (String) values.get(0));
    if (values.get(1) != null) b.put(GenAiAttributes.REQUEST_MODEL, (String) values.get(1));
    if (values.get(2) != null) b.put(LlmOtelAttributes.WORKFLOW, (String) values.get(2));
    if (values.get(3) != null) b.put(LlmOtelAttributes.PROMPT_NAME, (String) values.get(3));
    return b.put(LlmOtelAttributes.PROMPT_VERSION, (String) values.get(4)).build();
  }

  /** Provider, request model and workflow: what every llm-otel counter of a call is broken down by. */
  static AttributesBuilder callAttributes(LlmCall call) {
    AttributesBuilder b = Attributes.builder().put(GenAiAttributes.PROVIDER_NAME, call.provider());
    if (call.request().requestModel() != null) b.put(GenAiAttributes.REQUEST_MODEL, call.request().requestModel());
    if (call.governance().workflow() != null) b.put(LlmOtelAttributes.WORKFLOW, call.governance().workflow());
    return b;
  }
}
