package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * LangChain4j's own MCP client ({@code langchain4j-mcp}): trace context in its requests' {@code _meta}.
 * A module of its own, with its own helper list, so that its helper (which implements a
 * {@code langchain4j-mcp} interface) is only injected where that library is: the LangChain4j module
 * works without it.
 */
@AutoService(InstrumentationModule.class)
public class LangChain4jMcpInstrumentationModule extends LlmInstrumentationModule {
  public LangChain4jMcpInstrumentationModule() {
    super("llm-otel-instrumentation-langchain4j-mcp", "llm-otel-langchain4j-mcp", "llm-otel-langchain4j", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("dev.langchain4j.mcp.client.DefaultMcpClient$Builder",
        "dev.langchain4j.mcp.client.McpMetaSupplier");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new McpClientBuilderInstrumentation());
  }
}
