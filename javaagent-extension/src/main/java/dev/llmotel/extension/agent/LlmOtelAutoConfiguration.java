package dev.llmotel.extension.agent;

import com.google.auto.service.AutoService;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Defaults that the extension sets before instrumentations are installed. The agent's own OpenAI
 * instrumentation would give each call a second chat span, so it is off unless the operator turns
 * it back on: a supplied property has the lowest precedence, so
 * {@code -Dotel.instrumentation.openai-java.enabled=true} still wins.
 */
@AutoService(AutoConfigurationCustomizerProvider.class)
public final class LlmOtelAutoConfiguration implements AutoConfigurationCustomizerProvider {
  static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.instrumentation.openai-java.enabled", "false");
    DEFAULTS = Collections.unmodifiableMap(defaults);
  }

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addPropertiesSupplier(() -> DEFAULTS);
  }
}
