package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.ToolFaults;
import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
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

  /**
   * Where the tool method runs: a chaos drill's tool fault is applied here, so LangChain4j handles an
   * injected failure exactly as the tool's own (it arrives wrapped as Method.invoke wraps it).
   */
  public static class ToolMethodAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = ToolFaults.Failure.class)
    public static Object onEnter() {
      return LangChain4jCalls.toolFaultEnter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object fault,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      error = LangChain4jCalls.toolFaultThrown(fault, error);
      result = LangChain4jCalls.toolFaultResult(fault, result);
      if (error != null) LangChain4jCalls.toolMethodThrew(error);
    }
  }
}
