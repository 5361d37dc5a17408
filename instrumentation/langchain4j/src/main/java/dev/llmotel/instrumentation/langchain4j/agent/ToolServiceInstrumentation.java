package dev.llmotel.instrumentation.langchain4j.agent;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * From 1.4, every tool call of an AI service (blocking or streaming) goes through
 * {@code ToolService.executeWithErrorHandling}, which turns the tool's exception into an error
 * result for the model: the span covers the whole execution, error handling included.
 */
public class ToolServiceInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.service.tool.ToolService");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("executeWithErrorHandling").and(isStatic()).and(takesArguments(5))
            .and(takesArgument(0, named("dev.langchain4j.agent.tool.ToolExecutionRequest"))),
        ToolExecutionAdvice.class.getName());
  }
}
