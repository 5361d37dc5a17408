package dev.llmotel.instrumentation.bedrock.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * AWS SDK for Java 2, Bedrock Runtime: Converse, ConverseStream, InvokeModel and
 * InvokeModelWithResponseStream on the generated sync and async clients. Applies where the
 * Converse API exists (SDK 2.25.63 on).
 */
@AutoService(InstrumentationModule.class)
public class BedrockInstrumentationModule extends LlmInstrumentationModule {
  public BedrockInstrumentationModule() {
    super("llm-otel-instrumentation-aws-bedrock", "llm-otel-aws-bedrock", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest",
        "software.amazon.awssdk.metrics.MetricPublisher");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new BedrockClientInstrumentation(), new BedrockAsyncClientInstrumentation(),
        new AwsHttpClientInstrumentation());
  }
}
