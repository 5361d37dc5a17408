package dev.llmotel.extension.agent;

import com.google.auto.service.AutoService;
import dev.llmotel.core.AgentConfiguration;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.reflect.Method;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * After the agent has built its SDK, before the app's code runs. With a declarative configuration
 * file ({@code otel.config.file}) the agent calls no properties customizer, so llm-otel's settings
 * are read from that file here ({@link DeclarativeSettings}) and checked once; with the properties
 * configuration {@link LlmOtelAutoConfiguration} has done both already.
 */
@AutoService(AgentListener.class)
public final class LlmOtelAgentListener implements AgentListener {
  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    if (AgentConfiguration.installed()) return;
    try {
      AgentConfiguration.install(new DeclarativeSettings(GlobalOpenTelemetry.get(), resourceOf(sdk)));
    } catch (Throwable t) {
      Logger.getLogger(LlmOtelAgentListener.class.getName()).log(Level.WARNING,
          "llm-otel: the agent's declarative configuration could not be read; system properties and the environment apply", t);
    }
    LlmOtelAutoConfiguration.checkConfiguration();
  }

  /** The resource the agent built (the SDK keeps it package-private), or null. */
  static Resource resourceOf(AutoConfiguredOpenTelemetrySdk sdk) {
    try {
      Method getResource = AutoConfiguredOpenTelemetrySdk.class.getDeclaredMethod("getResource");
      getResource.setAccessible(true);
      return (Resource) getResource.invoke(sdk);
    } catch (Throwable t) {
      return null; // then fault injection finds no environment and stays off: the safe side
    }
  }
}
