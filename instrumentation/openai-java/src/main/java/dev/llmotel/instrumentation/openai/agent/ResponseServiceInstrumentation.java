package dev.llmotel.instrumentation.openai.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiCalls;
import dev.llmotel.core.CallRefusal;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** The Responses API: create (blocking and async) and createStreaming (blocking and async). */
public class ResponseServiceInstrumentation implements TypeInstrumentation {
  private static final String PARAMS = "com.openai.models.responses.ResponseCreateParams";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("com.openai.services.blocking.ResponseServiceImpl",
        "com.openai.services.async.ResponseServiceAsyncImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    ElementMatcher.Junction<MethodDescription> create =
        named("create").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(PARAMS)));
    transformer.applyAdviceToMethod(create.and(not(returns(named(CompletableFuture.class.getName())))),
        ResponseServiceInstrumentation.class.getName() + "$CreateAdvice");
    transformer.applyAdviceToMethod(create.and(returns(named(CompletableFuture.class.getName()))),
        ResponseServiceInstrumentation.class.getName() + "$CreateAsyncAdvice");
    transformer.applyAdviceToMethod(
        named("createStreaming").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(PARAMS))),
        ResponseServiceInstrumentation.class.getName() + "$CreateStreamingAdvice");
  }

  public static class CreateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startResponse(params, clientOptions, false);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      OpenAiCalls.endResponse(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }

  public static class CreateAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startResponse(params, clientOptions, false);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      OpenAiCalls.endResponseAsync(state, (CompletableFuture<?>) result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }

  public static class CreateStreamingAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startResponse(params, clientOptions, true);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object service, @Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      result = OpenAiCalls.wrapResponseStream(state, result, error);
      result = OpenAiCalls.refusedStreamResult(state, result, service);
      error = OpenAiCalls.refusedStreamThrown(state, error, service);
    }
  }
}
