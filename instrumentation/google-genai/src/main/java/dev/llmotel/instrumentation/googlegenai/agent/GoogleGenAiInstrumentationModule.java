package dev.llmotel.instrumentation.googlegenai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The Google GenAI Java SDK: generateContent, generateContentStream and embedContent, blocking and
 * async, for the Gemini API and Vertex AI, with the HTTP attempts of the SDK's retry interceptor.
 * The SDK's models and its private request methods have kept their shape from 1.0 to 2.0.
 */
@AutoService(InstrumentationModule.class)
public class GoogleGenAiInstrumentationModule extends LlmInstrumentationModule {
  public GoogleGenAiInstrumentationModule() {
    super("llm-otel-instrumentation-google-genai", "llm-otel-google-genai", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("com.google.genai.Models", "com.google.genai.ResponseStream",
        "com.google.genai.types.GenerateContentResponseUsageMetadata");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new ModelsInstrumentation(),
        new AsyncModelsInstrumentation(),
        new ResponseStreamInstrumentation(),
        new RetryInterceptorInstrumentation());
  }
}
