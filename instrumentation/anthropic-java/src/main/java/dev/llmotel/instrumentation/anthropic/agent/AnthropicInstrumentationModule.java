package dev.llmotel.instrumentation.anthropic.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import dev.llmotel.core.agent.StainlessRetryInstrumentation;
import dev.llmotel.core.agent.StainlessTransportInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The Anthropic Java SDK's Messages API: create and createStreaming, blocking and async, with the
 * HTTP attempts of the SDK's retry loop. The Messages API and its models have had the same shape
 * since the SDK's 1.0; the bound is the services' package layout of 1.x.
 */
@AutoService(InstrumentationModule.class)
public class AnthropicInstrumentationModule extends LlmInstrumentationModule {
  public AnthropicInstrumentationModule() {
    super("llm-otel-instrumentation-anthropic-java", "llm-otel-anthropic-java", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("com.anthropic.services.blocking.MessageServiceImpl",
        "com.anthropic.models.messages.MessageCreateParams", "com.anthropic.core.http.RetryingHttpClient");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new MessageServiceInstrumentation(),
        new MessageServiceAsyncInstrumentation(),
        new StainlessRetryInstrumentation("com.anthropic"),
        new StainlessTransportInstrumentation("com.anthropic"),
        new SdkTracingInstrumentation());
  }
}
