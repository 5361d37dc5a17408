package dev.llmotel.instrumentation.springai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Spring AI 1.1 and 2.0: ChatClient calls (invoke_agent), model calls (chat, embeddings), tool
 * executions (execute_tool) and vector store queries (retrieval), all at the observations Spring
 * AI opens for them. The tool-calling observation context is the lower bound: it arrived in 1.0.
 */
@AutoService(InstrumentationModule.class)
public class SpringAiInstrumentationModule extends LlmInstrumentationModule {
  public SpringAiInstrumentationModule() {
    super("llm-otel-instrumentation-spring-ai", "llm-otel-spring-ai", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("org.springframework.ai.chat.observation.ChatModelObservationContext",
        "org.springframework.ai.tool.observation.ToolCallingObservationContext",
        "io.micrometer.observation.docs.ObservationDocumentation");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new ObservationDocumentationInstrumentation(),
        new ChatModelStreamInstrumentation(),
        new ModelCallInstrumentation(),
        new ToolCallingManagerInstrumentation(),
        new ToolExceptionProcessorInstrumentation(),
        new ToolCallbackInstrumentation(),
        new UsageCalculatorInstrumentation(),
        new TracingObservationHandlerInstrumentation());
  }
}
