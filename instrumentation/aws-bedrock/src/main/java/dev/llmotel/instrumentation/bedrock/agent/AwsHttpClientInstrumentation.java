package dev.llmotel.instrumentation.bedrock.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.SkippedCall;
import dev.llmotel.instrumentation.bedrock.AwsHttpAttempts;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The AWS SDK's HTTP client SPI, sync and async, whichever client implements it (Apache, URL
 * connection, Netty, CRT): each attempt of a Bedrock call passes here after signing, below the
 * SDK's retries, which is where fault injection and record/replay act (only inside an LLM call,
 * only when either is on).
 */
public class AwsHttpClientInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return not(isAbstract()).and(implementsInterface(named("software.amazon.awssdk.http.SdkHttpClient"))
        .or(implementsInterface(named("software.amazon.awssdk.http.async.SdkAsyncHttpClient"))));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String advice = AwsHttpClientInstrumentation.class.getName();
    transformer.applyAdviceToMethod(named("prepareRequest").and(takesArguments(1)), advice + "$PrepareRequestAdvice");
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(1))
        .and(net.bytebuddy.matcher.ElementMatchers.takesArgument(0,
            named("software.amazon.awssdk.http.async.AsyncExecuteRequest"))), advice + "$AsyncExecuteAdvice");
  }

  public static class PrepareRequestAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) Object request,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object prepared) {
      prepared = AwsHttpAttempts.prepared(request, prepared);
    }
  }

  public static class AsyncExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = SkippedCall.class)
    public static Object onEnter(
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
      Object state = AwsHttpAttempts.beforeAsync(request);
      request = AwsHttpAttempts.asyncRequest(state, request);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.This Object client,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
      result = AwsHttpAttempts.asyncResult(state, client, result);
    }
  }
}
