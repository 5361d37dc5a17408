package dev.llmotel.instrumentation.googlegenai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.googlegenai.GoogleGenAiCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** The retry interceptor of the OkHttp-based releases: every attempt it makes, and its outcome. */
public class RetryInterceptorInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.google.genai.RetryInterceptor");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("intercept").and(takesArguments(1)),
        RetryInterceptorInstrumentation.class.getName() + "$InterceptAdvice");
  }

  public static class InterceptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object chain) {
      chain = GoogleGenAiCalls.observeAttempts(chain);
    }
  }
}
