package dev.llmotel.instrumentation.openai.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiCalls;
import dev.llmotel.core.CallRefusal;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** Blocking chat completions: create and createStreaming of the service implementation. */
public class ChatCompletionServiceInstrumentation implements TypeInstrumentation {
  static final String PARAMS = "com.openai.models.chat.completions.ChatCompletionCreateParams";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.openai.services.blocking.chat.ChatCompletionServiceImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("create").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(PARAMS))),
        ChatCompletionServiceInstrumentation.class.getName() + "$CreateAdvice");
    transformer.applyAdviceToMethod(
        named("createStreaming").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(PARAMS))),
        ChatCompletionServiceInstrumentation.class.getName() + "$CreateStreamingAdvice");
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
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      OpenAiCalls.endChat(state, result, error);
      error = CallRefusal.thrown(state, error);
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
