package dev.llmotel.core.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.SdkAttempts;
import io.opentelemetry.context.Scope;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One HTTP attempt of a Stainless-generated SDK, below its retry loop: its status code, retry-after
 * and request id. The transport is whatever HttpClient the SDK was built with: its own OkHttp client
 * (in {@code <sdk>.client}), or one a framework plugs in (Spring AI 2.0 brings its own). The SDK's
 * decorators around it (retrying, logging, authenticating, closing, tracing) live elsewhere in the
 * SDK's package and are not attempts.
 */
public class StainlessTransportInstrumentation implements TypeInstrumentation {
  private final String sdkPackage;

  /** @param sdkPackage the SDK's root package, e.g. {@code com.openai} */
  public StainlessTransportInstrumentation(String sdkPackage) {
    this.sdkPackage = sdkPackage;
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named(sdkPackage + ".core.http.HttpClient"))
        .and(not(isInterface()))
        .and(not(nameStartsWith(sdkPackage + ".")).or(nameStartsWith(sdkPackage + ".client.")));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(2)),
        StainlessTransportInstrumentation.class.getName() + "$ExecuteAdvice");
    transformer.applyAdviceToMethod(named("executeAsync").and(takesArguments(2)),
        StainlessTransportInstrumentation.class.getName() + "$ExecuteAsyncAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Scope onEnter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object requestOptions) {
      return SdkAttempts.forType(request.getClass().getName()).enterAttempt(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Scope scope, @Advice.Argument(0) Object request,
        @Advice.Argument(1) Object requestOptions, @Advice.Return Object response, @Advice.Thrown Throwable error) {
      SdkAttempts.exitAttempt(scope);
      SdkAttempts.forType(request.getClass().getName()).onAttempt(requestOptions, response, error);
    }
  }

  public static class ExecuteAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Scope onEnter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object requestOptions) {
      return SdkAttempts.forType(request.getClass().getName()).enterAttempt(requestOptions);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Scope scope, @Advice.Argument(0) Object request,
        @Advice.Argument(1) Object requestOptions, @Advice.Return CompletableFuture<?> response,
        @Advice.Thrown Throwable error) {
      SdkAttempts.exitAttempt(scope);
      SdkAttempts.forType(request.getClass().getName()).onAsyncAttempt(requestOptions, response, error);
    }
  }
}
