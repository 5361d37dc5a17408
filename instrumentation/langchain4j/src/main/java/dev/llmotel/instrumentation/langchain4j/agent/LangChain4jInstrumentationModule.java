package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LangChain4j 1.x: AI service invocations (invoke_agent), model calls (chat, embeddings) and tool
 * executions (execute_tool). ChatModel is the 1.0 name of the 0.x ChatLanguageModel, so its
 * presence is the lower bound; LangChain4j's jars carry no version in their manifest.
 */
@AutoService(InstrumentationModule.class)
public class LangChain4jInstrumentationModule extends LlmInstrumentationModule {
  public LangChain4jInstrumentationModule() {
    super("llm-otel-instrumentation-langchain4j", "llm-otel-langchain4j", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("dev.langchain4j.model.chat.ChatModel", "dev.langchain4j.service.AiServices");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        new AiServiceInstrumentation(),
        new ChatMemoryInstrumentation(),
        new ChatModelInstrumentation(),
        new StreamingChatModelInstrumentation(),
        new StreamingHandlerInstrumentation(),
        new TokenStreamInstrumentation(),
        new TokenStreamAdapterInstrumentation(),
        new EmbeddingModelInstrumentation(),
        new ContentRetrieverInstrumentation(),
        new ToolServiceInstrumentation(),
        new ToolExecutorInstrumentation());
  }
}
