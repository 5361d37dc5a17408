package dev.llmotel.instrumentation.mcp;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trace context in a request's {@code params._meta}, as the MCP conventions carry it: the
 * configured propagators' own keys ({@code traceparent}, {@code tracestate}, {@code baggage}),
 * unprefixed. A client request's params are never changed in place (the app may hold them, and
 * frameworks pass immutable maps): a copy goes out instead.
 */
final class McpMeta {
  private McpMeta() {}

  private static final TextMapSetter<Map<String, Object>> SETTER = (carrier, key, value) -> {
    if (carrier != null) carrier.put(key, value);
  };

  private static final TextMapGetter<Map<?, ?>> GETTER = new TextMapGetter<Map<?, ?>>() {
    @Override
    public Iterable<String> keys(Map<?, ?> carrier) {
      java.util.List<String> keys = new java.util.ArrayList<>();
      for (Object k : carrier.keySet()) keys.add(String.valueOf(k));
      return keys;
    }

    @Override
    public String get(Map<?, ?> carrier, String key) {
      Object v = carrier == null ? null : carrier.get(key);
      return v instanceof String ? (String) v : null;
    }
  };

  /** The params as a new map whose {@code _meta} also carries {@code context}; {@code asMap} is the request's params as a map (or null). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withContext(Map<String, Object> asMap, Context context) {
    Map<String, Object> params = asMap == null ? new LinkedHashMap<>() : new LinkedHashMap<>(asMap);
    Object existing = params.get("_meta");
    params.put("_meta", metaWithContext(existing instanceof Map ? (Map<String, Object>) existing : null, context));
    return params;
  }

  /** A new {@code _meta} map: the entries of {@code meta} (null for none) and {@code context}'s propagation keys. */
  static Map<String, Object> metaWithContext(Map<String, Object> meta, Context context) {
    Map<String, Object> copy = meta == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta);
    GlobalOpenTelemetry.getPropagators().getTextMapPropagator().inject(context, copy, SETTER);
    return copy;
  }

  /** The context a request's {@code params._meta} carries, on top of {@code base}; {@code base} when it carries none. */
  static Context extract(Object params, Context base) {
    Object meta = params instanceof Map ? ((Map<?, ?>) params).get("_meta") : null;
    Map<?, ?> carrier = meta instanceof Map ? (Map<?, ?>) meta : Collections.emptyMap();
    if (carrier.isEmpty()) return base;
    return GlobalOpenTelemetry.getPropagators().getTextMapPropagator().extract(base, carrier, GETTER);
  }
}
