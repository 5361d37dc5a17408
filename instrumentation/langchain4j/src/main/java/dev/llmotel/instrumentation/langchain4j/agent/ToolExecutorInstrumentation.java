package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Tool executors. Before 1.4 AI services call {@code ToolExecutor.execute(request, memoryId)}
 * directly, so this is where the tool span starts then (from 1.4 the ToolService span already owns
 * the call and this one adds nothing). The reflective executor's private {@code execute(Object[])}
 * is where the tool method's own exception passes, before the framework turns it into text.
 */
public class ToolExecutorInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("dev.langchain4j.service.tool.ToolExecutor")).and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("execute").and(not(isAbstract())).and(takesArguments(2))
            .and(takesArgument(0, named("dev.langchain4j.agent.tool.ToolExecutionRequest"))),
        ToolExecutionAdvice.class.getName());
    transformer.applyAdviceToMethod(
        named("execute").and(takesArguments(1)).and(takesArgument(0, Object[].class)),
        ToolExecutorInstrumentation.class.getName() + "$ToolMethodAdvice");
  }

  public static class ToolMethodAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Thrown Throwable error) {
      if (error != null) LangChain4jCalls.toolMethodThrew(error);
    }
  }
}
