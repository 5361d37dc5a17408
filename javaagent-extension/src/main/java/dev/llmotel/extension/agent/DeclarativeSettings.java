package dev.llmotel.extension.agent;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.instrumentation.api.incubator.config.internal.DeclarativeConfigUtil;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Locale;
import java.util.function.Function;

/**
 * llm-otel's settings in the agent's declarative configuration file ({@code otel.config.file}), where
 * the agent keeps instrumentation settings under {@code instrumentation/development: java:}. The key
 * {@code otel.instrumentation.llm-otel.faults.enabled-in} is {@code llm_otel: faults: enabled_in:}
 * there (each dotted part a level, dashes as underscores), as the agent's own bridge maps its
 * properties; a key whose parent is also a value ({@code governance.store} and
 * {@code governance.store.pool-size}) can be given whole instead: {@code llm_otel: {"governance.store": ...}}.
 * The resource's {@code deployment.environment.name} (the fault injection gate) comes from the
 * resource the file configures.
 */
final class DeclarativeSettings implements Function<String, String> {
  static final String INSTRUMENTATION = "otel.instrumentation.";
  static final String RESOURCE_ATTRIBUTES = "otel.resource.attributes";
  private final OpenTelemetry openTelemetry;
  private final String environment;

  DeclarativeSettings(OpenTelemetry openTelemetry, Resource resource) {
    this.openTelemetry = openTelemetry;
    String env = resource == null ? null : resource.getAttribute(AttributeKey.stringKey("deployment.environment.name"));
    this.environment = env;
  }

  @Override
  public String apply(String key) {
    if (key.equals(RESOURCE_ATTRIBUTES)) return environment == null ? null : "deployment.environment.name=" + environment;
    if (!key.startsWith(INSTRUMENTATION)) return null;
    String rest = key.substring(INSTRUMENTATION.length());
    int dot = rest.indexOf('.');
    if (dot <= 0) return null;
    DeclarativeConfigProperties node =
        DeclarativeConfigUtil.getInstrumentationConfig(openTelemetry, snake(rest.substring(0, dot)));
    if (node == null) return null;
    String path = rest.substring(dot + 1);
    String whole = scalar(node, path);
    if (whole != null) return whole;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length - 1 && node != null; i++) node = node.getStructured(snake(parts[i]));
    return node == null ? null : scalar(node, snake(parts[parts.length - 1]));
  }

  /** A scalar of any YAML type, as the text a system property would hold. */
  private static String scalar(DeclarativeConfigProperties node, String name) {
    String s = tryString(node, name);
    if (s != null) return s;
    for (Function<String, Object> typed : new Function[] {
        (Function<String, Object>) node::getBoolean, (Function<String, Object>) node::getLong,
        (Function<String, Object>) node::getDouble}) {
      try {
        Object v = typed.apply(name);
        if (v != null) return String.valueOf(v);
      } catch (RuntimeException wrongType) {
        // another type: try the next
      }
    }
    return null;
  }

  private static String tryString(DeclarativeConfigProperties node, String name) {
    try {
      return node.getString(name);
    } catch (RuntimeException wrongType) {
      return null;
    }
  }

  static String snake(String part) {
    return part.replace('-', '_').toLowerCase(Locale.ROOT);
  }
}
