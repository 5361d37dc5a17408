package dev.llmotel.instrumentation.openai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiAttempts;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** One HTTP attempt of the SDK, below its retry loop: its status code, retry-after and request id. */
public class OkHttpClientInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.openai.client.okhttp.OkHttpClient");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(2)),
        OkHttpClientInstrumentation.class.getName() + "$ExecuteAdvice");
    transformer.applyAdviceToMethod(named("executeAsync").and(takesArguments(2)),
        OkHttpClientInstrumentation.class.getName() + "$ExecuteAsyncAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Scope onEnter(@Advice.Argument(1) Object requestOptions) {
      return OpenAiAttempts.enterAttempt(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Scope scope, @Advice.Argument(1) Object requestOptions,
        @Advice.Return Object response, @Advice.Thrown Throwable error) {
      OpenAiAttempts.exitAttempt(scope);
      OpenAiAttempts.onAttempt(requestOptions, response, error);
    }
  }

  public static class ExecuteAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Scope onEnter(@Advice.Argument(1) Object requestOptions) {
      return OpenAiAttempts.enterAttempt(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Scope scope, @Advice.Argument(1) Object requestOptions,
        @Advice.Return CompletableFuture<?> response, @Advice.Thrown Throwable error) {
      OpenAiAttempts.exitAttempt(scope);
      OpenAiAttempts.onAsyncAttempt(requestOptions, response, error);
    }
  }
}
