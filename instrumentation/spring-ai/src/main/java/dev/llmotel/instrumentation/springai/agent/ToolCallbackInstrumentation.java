package dev.llmotel.instrumentation.springai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.llmotel.core.ToolFaults;
import dev.llmotel.instrumentation.springai.SpringAiToolFaults;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A tool callback's {@code call}: where a chaos drill's tool fault is applied, inside the tool span
 * Spring AI's observation opened, so Spring AI handles an injected failure as the tool's own (a
 * ToolExecutionException, as MethodToolCallback throws for a failing method). Applied once per
 * execution, though {@code call(String)} may delegate to {@code call(String, ToolContext)}.
 */
public class ToolCallbackInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("org.springframework.ai.tool.ToolCallback")).and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("call").and(not(isAbstract())).and(takesArgument(0, String.class)),
        ToolCallbackInstrumentation.class.getName() + "$CallAdvice");
  }

  public static class CallAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = ToolFaults.Failure.class)
    public static Object onEnter() {
      return SpringAiToolFaults.enter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object callback, @Advice.Enter Object fault,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      error = SpringAiToolFaults.thrown(callback, fault, error);
      result = ToolFaults.result(fault, result);
    }
  }
}
