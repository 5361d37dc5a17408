package dev.llmotel.instrumentation.openai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiAttempts;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One HTTP attempt of the SDK, below its retry loop: its status code, retry-after and request id.
 * The transport is whatever HttpClient the SDK was built with: its own OkHttp client, or one a
 * framework plugs in (Spring AI 2.0 brings its own). The SDK's decorators around it (retrying,
 * logging, authenticating, closing) live in com.openai.core.http and are not attempts.
 */
public class HttpTransportInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("com.openai.core.http.HttpClient"))
        .and(not(isInterface()))
        .and(not(nameStartsWith("com.openai.core.http.")));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(2)),
        HttpTransportInstrumentation.class.getName() + "$ExecuteAdvice");
    transformer.applyAdviceToMethod(named("executeAsync").and(takesArguments(2)),
        HttpTransportInstrumentation.class.getName() + "$ExecuteAsyncAdvice");
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
