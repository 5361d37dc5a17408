package dev.llmotel.instrumentation.langchain4j.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The AI service proxy's invocation handler: one call of an AI service method is one agent run. */
public class AiServiceInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.service.DefaultAiServices$1");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("invoke").and(takesArguments(3)).and(takesArgument(0, Object.class))
            .and(takesArgument(1, Method.class)),
        AiServiceInstrumentation.class.getName() + "$InvokeAdvice");
  }

  public static class InvokeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Argument(0) Object proxy, @Advice.Argument(1) Method method) {
      return LangChain4jCalls.startAgent(proxy, method);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) Object proxy, @Advice.Argument(1) Method method,
        @Advice.Enter Object state, @Advice.Return Object result, @Advice.Thrown Throwable error) {
      LangChain4jCalls.endAgent(state, error);
      LangChain4jCalls.agentReturned(proxy, method, result);
    }
  }
}
