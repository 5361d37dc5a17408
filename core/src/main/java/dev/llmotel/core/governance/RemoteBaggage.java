package dev.llmotel.core.governance;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.BaggageBuilder;
import io.opentelemetry.api.baggage.BaggageEntry;
import io.opentelemetry.api.baggage.BaggageEntryMetadata;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;
import java.util.Map;

/**
 * The trust boundary for llm-otel's baggage entries ({@code llm_otel.workflow},
 * {@code llm_otel.prompt.name}, {@code llm_otel.prompt.version}). The agent extracts baggage from
 * every inbound request and message, so any caller can send these keys. This wraps the configured
 * propagator: every {@code llm_otel.*} entry that extraction brought in (absent from, or different
 * in, the context before it) gets the metadata {@link #REMOTE}, replacing whatever metadata the
 * caller sent, so a caller cannot pass its entries off as in-process ones. Governance then treats
 * a marked value as data: it names a workflow only when the policy file declares that workflow.
 * Entries set by code in the process carry no such mark.
 */
public final class RemoteBaggage implements TextMapPropagator {
  static final String KEY_PREFIX = "llm_otel.";
  /** The metadata of an entry that came from outside the process. */
  public static final String REMOTE = "llm_otel.remote";

  private final TextMapPropagator delegate;

  private RemoteBaggage(TextMapPropagator delegate) {
    this.delegate = delegate;
  }

  /** The propagator with llm-otel's baggage entries marked on extraction. */
  public static TextMapPropagator wrap(TextMapPropagator propagator) {
    return propagator instanceof RemoteBaggage ? propagator : new RemoteBaggage(propagator);
  }

  static boolean isRemote(BaggageEntry entry) {
    return entry != null && REMOTE.equals(entry.getMetadata().getValue());
  }

  @Override
  public Collection<String> fields() {
    return delegate.fields();
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    delegate.inject(context, carrier, setter);
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    Context extracted = delegate.extract(context, carrier, getter);
    Baggage after = Baggage.fromContextOrNull(extracted);
    if (after == null || after.isEmpty()) return extracted;
    Baggage before = Baggage.fromContext(context);
    BaggageBuilder marked = null;
    for (Map.Entry<String, BaggageEntry> e : after.asMap().entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(KEY_PREFIX)) continue;
      BaggageEntry had = before.getEntry(key);
      if (had != null && had.getValue().equals(e.getValue().getValue())
          && had.getMetadata().getValue().equals(e.getValue().getMetadata().getValue())) {
        continue; // in the context before extraction: the process's own
      }
      if (marked == null) marked = after.toBuilder();
      marked.put(key, e.getValue().getValue(), BaggageEntryMetadata.create(REMOTE));
    }
    return marked == null ? extracted : extracted.with(marked.build());
  }

  @Override
  public String toString() {
    return "RemoteBaggage{" + delegate + "}";
  }
}
