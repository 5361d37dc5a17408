package dev.llmotel.core.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.SdkAttempts;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The retry loop of a Stainless-generated SDK ({@code <sdk package>.core.http.RetryingHttpClient}):
 * links the call in progress to the RequestOptions that every attempt gets (see {@link SdkAttempts}).
 */
public class StainlessRetryInstrumentation implements TypeInstrumentation {
  private final String sdkPackage;

  /** @param sdkPackage the SDK's root package, e.g. {@code com.openai} */
  public StainlessRetryInstrumentation(String sdkPackage) {
    this.sdkPackage = sdkPackage;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(sdkPackage + ".core.http.RetryingHttpClient");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(2)),
        StainlessRetryInstrumentation.class.getName() + "$ExecuteAdvice");
    transformer.applyAdviceToMethod(named("executeAsync").and(takesArguments(2)),
        StainlessRetryInstrumentation.class.getName() + "$ExecuteAsyncAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Origin("#t") String type, @Advice.Argument(1) Object requestOptions) {
      return SdkAttempts.forType(type).register(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Origin("#t") String type, @Advice.Enter Object key) {
      SdkAttempts.forType(type).unregister(key);
    }
  }

  public static class ExecuteAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Origin("#t") String type, @Advice.Argument(1) Object requestOptions) {
      return SdkAttempts.forType(type).register(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Origin("#t") String type, @Advice.Enter Object key,
        @Advice.Return CompletableFuture<?> result, @Advice.Thrown Throwable error) {
      SdkAttempts.forType(type).unregisterWhenDone(key, result, error);
    }
  }
}
