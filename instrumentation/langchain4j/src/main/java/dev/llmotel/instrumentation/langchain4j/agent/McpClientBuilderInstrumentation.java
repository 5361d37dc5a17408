package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.mcp.McpTraceContext;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code langchain4j-mcp}'s {@code DefaultMcpClient.Builder.build()}: the client gets a meta supplier that
 * carries the trace context (releases with a meta supplier only, 1.13 on).
 */
public class McpClientBuilderInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<ClassLoader> classLoaderOptimization() {
    return hasClassesNamed("dev.langchain4j.mcp.client.McpMetaSupplier");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.mcp.client.DefaultMcpClient$Builder");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("build").and(takesArguments(0)),
        McpClientBuilderInstrumentation.class.getName() + "$BuildAdvice");
  }

  public static class BuildAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object builder) {
      McpTraceContext.install(builder);
    }
  }
}
