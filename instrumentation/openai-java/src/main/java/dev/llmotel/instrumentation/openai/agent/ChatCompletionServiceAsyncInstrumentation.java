package dev.llmotel.instrumentation.openai.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiCalls;
import dev.llmotel.core.CallRefusal;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** Async chat completions: the span ends with the returned future or stream. */
public class ChatCompletionServiceAsyncInstrumentation implements TypeInstrumentation {

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.openai.services.async.chat.ChatCompletionServiceAsyncImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String params = ChatCompletionServiceInstrumentation.PARAMS;
    transformer.applyAdviceToMethod(
        named("create").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(params))),
        ChatCompletionServiceAsyncInstrumentation.class.getName() + "$CreateAdvice");
    transformer.applyAdviceToMethod(
        named("createStreaming").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(params))),
        ChatCompletionServiceAsyncInstrumentation.class.getName() + "$CreateStreamingAdvice");
  }

  public static class CreateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startChat(params, clientOptions, false);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      OpenAiCalls.endChatAsync(state, (CompletableFuture<?>) result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }

  public static class CreateStreamingAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startChat(params, clientOptions, true);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object service, @Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      result = OpenAiCalls.wrapChatStream(state, result, error);
      result = OpenAiCalls.refusedStreamResult(state, result, service);
      error = OpenAiCalls.refusedStreamThrown(state, error, service);
    }
  }
}
