package dev.llmotel.instrumentation.javahttpclient.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.llmotel.core.SkippedCall;
import dev.llmotel.instrumentation.javahttpclient.JavaHttpClientCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** The HttpClient every HttpClient.newHttpClient()/newBuilder().build() returns: send and sendAsync. */
public class HttpClientFacadeInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.HttpClientFacade");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("send").and(isPublic())
        .and(takesArgument(0, named("java.net.http.HttpRequest"))),
        HttpClientFacadeInstrumentation.class.getName() + "$SendAdvice");
    transformer.applyAdviceToMethod(named("sendAsync").and(isPublic())
        .and(takesArgument(0, named("java.net.http.HttpRequest"))),
        HttpClientFacadeInstrumentation.class.getName() + "$SendAsyncAdvice");
  }

  public static class SendAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = SkippedCall.class)
    public static Object onEnter(@Advice.Argument(0) Object request,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
      Object state = JavaHttpClientCalls.startOrRefuse(request, false);
      handler = JavaHttpClientCalls.wrapHandler(state, handler);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
        @Advice.Thrown(readOnly = false) Throwable error) {
      JavaHttpClientCalls.endSend(state, error);
      response = JavaHttpClientCalls.faultedResponse(state, response);
      error = JavaHttpClientCalls.thrown(state, error);
    }
  }

  public static class SendAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = SkippedCall.class)
    public static Object onEnter(@Advice.Argument(0) Object request,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
      Object state = JavaHttpClientCalls.startOrRefuse(request, true);
      handler = JavaHttpClientCalls.wrapHandler(state, handler);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
        @Advice.Thrown Throwable error) {
      future = JavaHttpClientCalls.endSendAsync(state, future, error);
    }
  }
}
