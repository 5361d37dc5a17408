package dev.llmotel.instrumentation.openai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LibraryVersionMatcher;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import dev.llmotel.core.agent.StainlessRetryInstrumentation;
import dev.llmotel.core.agent.StainlessTransportInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/** The OpenAI Java SDK ({@code com.openai:openai-java}) from 1.1.0 up to, not including, 5.0. */
@AutoService(InstrumentationModule.class)
public class OpenAiInstrumentationModule extends LlmInstrumentationModule {
  public OpenAiInstrumentationModule() {
    super("llm-otel-instrumentation-openai-java", "llm-otel-openai-java", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    // IOExceptionWrappingSequence first shipped in 1.1.0; the manifest check leaves 5.x alone until proven.
    return hasClassesNamed("com.openai.core.handlers.IOExceptionWrappingSequence")
        .and(LibraryVersionMatcher.majorBelow("com/openai/core/ClientOptions.class", 5));
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new ChatCompletionServiceInstrumentation(),
        new ChatCompletionServiceAsyncInstrumentation(),
        new EmbeddingServiceInstrumentation(),
        new ResponseServiceInstrumentation(),
        new StainlessRetryInstrumentation("com.openai"),
        new StainlessTransportInstrumentation("com.openai"));
  }
}
