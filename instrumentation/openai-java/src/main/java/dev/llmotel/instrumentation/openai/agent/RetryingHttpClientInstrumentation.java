package dev.llmotel.instrumentation.openai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiAttempts;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The SDK's retry loop: links the call in progress to the RequestOptions that every attempt gets. */
public class RetryingHttpClientInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.openai.core.http.RetryingHttpClient");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(2)),
        RetryingHttpClientInstrumentation.class.getName() + "$ExecuteAdvice");
    transformer.applyAdviceToMethod(named("executeAsync").and(takesArguments(2)),
        RetryingHttpClientInstrumentation.class.getName() + "$ExecuteAsyncAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Argument(1) Object requestOptions) {
      return OpenAiAttempts.register(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object key) {
      OpenAiAttempts.unregister(key);
    }
  }

  public static class ExecuteAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Argument(1) Object requestOptions) {
      return OpenAiAttempts.register(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object key, @Advice.Return CompletableFuture<?> result,
        @Advice.Thrown Throwable error) {
      OpenAiAttempts.unregisterWhenDone(key, result, error);
    }
  }
}
