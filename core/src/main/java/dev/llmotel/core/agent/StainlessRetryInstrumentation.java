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
 * The async retry loop of a Stainless-generated SDK ({@code <sdk package>.core.http.RetryingHttpClient}):
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
    // Only the async loop: its retries run on the SDK's timer thread, where the call's context is not
    // current. The blocking loop makes every attempt on the calling thread, in the call's context.
    transformer.applyAdviceToMethod(named("executeAsync").and(takesArguments(2)),
        StainlessRetryInstrumentation.class.getName() + "$ExecuteAsyncAdvice");
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
