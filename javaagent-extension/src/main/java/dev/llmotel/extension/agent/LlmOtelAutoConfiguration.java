package dev.llmotel.extension.agent;

import com.google.auto.service.AutoService;
import dev.llmotel.core.AgentConfiguration;
import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.Redactor;
import dev.llmotel.core.faults.Faults;
import dev.llmotel.core.governance.Governance;
import dev.llmotel.core.governance.RemoteBaggage;
import dev.llmotel.core.http.LlmEndpoints;
import dev.llmotel.core.http.Recordings;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Defaults that the extension sets before instrumentations are installed. The agent's own OpenAI
 * instrumentation would give each call a second chat span, so it is off unless the operator turns
 * it back on: each default applies only where the operator set nothing, so
 * {@code -Dotel.instrumentation.openai-java.enabled=true} (or the same line in the agent's
 * configuration file) still wins.
 */
@AutoService(AutoConfigurationCustomizerProvider.class)
public final class LlmOtelAutoConfiguration implements AutoConfigurationCustomizerProvider {
  static final Map<String, String> DEFAULTS;
  static final String SENSITIVE_QUERY_PARAMETERS =
      "otel.instrumentation.sanitization.url.experimental.sensitive-query-parameters";
  /** The agent's defaults (2.31.1), which an explicit list must repeat. */
  static final String[] AGENT_SENSITIVE_QUERY_PARAMETERS = {"AWSAccessKeyId", "Signature", "sig",
      "X-Goog-Signature", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"};
  static final String[] LLM_SENSITIVE_QUERY_PARAMETERS = {"api-key", "api_key", "apikey", "key", "access_token",
      "token", "code"};

  static {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.instrumentation.openai-java.enabled", "false");
    // The agent's Bedrock part of its AWS SDK instrumentation makes GenAI spans, metrics and events of
    // its own; llm-otel traces those calls (with governance), so one call would count twice. The AWS SDK
    // instrumentation itself stays on: other AWS calls keep their spans.
    defaults.put("otel.instrumentation.aws-sdk-2.2-bedrock-runtime.enabled", "false");
    // The agent's HTTP client spans redact a few signed-URL parameters by default. LLM APIs take keys in
    // the query string too (Azure OpenAI "api-key", Google "key"): those are added. The setting is a
    // full list, so it repeats the agent's own defaults; an operator's value replaces all of it.
    defaults.put(SENSITIVE_QUERY_PARAMETERS, String.join(",", AGENT_SENSITIVE_QUERY_PARAMETERS) + ","
        + String.join(",", LLM_SENSITIVE_QUERY_PARAMETERS));
    DEFAULTS = Collections.unmodifiableMap(defaults);
  }

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    // Once the agent has resolved its configuration (its configuration file, system properties and the
    // environment, with its precedence), llm-otel's settings read it too, and are checked with it.
    customizer.addPropertiesCustomizer(config -> {
      AgentConfiguration.install(config::getString);
      checkConfiguration();
      return defaultsNotSetIn(config::getString);
    });
    // llm-otel's baggage entries from remote callers are marked as such when extracted, so that
    // governance can tell them from the process's own (see RemoteBaggage, and docs/governance.md,
    // "Trust model for baggage").
    customizer.addPropagatorCustomizer((propagator, config) -> RemoteBaggage.wrap(propagator));
  }

  /**
   * The defaults the operator has not set anywhere (system property, environment, configuration
   * file): a value the operator gives always wins over ours.
   */
  static Map<String, String> defaultsNotSetIn(java.util.function.Function<String, String> config) {
    Map<String, String> missing = new HashMap<>();
    for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
      if (config.apply(d.getKey()) == null) missing.put(d.getKey(), d.getValue());
    }
    return missing;
  }

  /**
   * Reads our configuration once while the agent starts, so that every mistake in it (a bad value,
   * a broken policy, price or prompt file) is one log line at startup rather than at the first LLM
   * call; the copies injected next to the advice later stay quiet about the same mistakes.
   */
  static void checkConfiguration() {
    try {
      LlmOtelConfig.get();
      Redactor.get();
      Governance.get();
      LlmEndpoints.get();
      Faults.get();
      Recordings.get();
    } catch (Throwable t) {
      Logger.getLogger(LlmOtelAutoConfiguration.class.getName())
          .log(Level.WARNING, "llm-otel: configuration check failed; defaults apply", t);
    } finally {
      ConfigProblems.markStartupCheckDone();
    }
  }
}
