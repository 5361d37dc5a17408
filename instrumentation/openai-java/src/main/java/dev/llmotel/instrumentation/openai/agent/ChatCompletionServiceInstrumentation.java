package dev.llmotel.instrumentation.openai.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.openai.OpenAiCalls;
import dev.llmotel.instrumentation.openai.OpenAiScope;
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
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OpenAiScope onEnter(@Advice.Argument(0) Object params,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      return OpenAiCalls.startChat(params, clientOptions, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OpenAiScope scope, @Advice.Return Object result,
        @Advice.Thrown Throwable error) {
      OpenAiCalls.endChat(scope, result, error);
    }
  }

  public static class CreateStreamingAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static OpenAiScope onEnter(@Advice.Argument(0) Object params,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      return OpenAiCalls.startChat(params, clientOptions, true);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter OpenAiScope scope,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      result = OpenAiCalls.wrapChatStream(scope, result, error);
    }
  }
}
