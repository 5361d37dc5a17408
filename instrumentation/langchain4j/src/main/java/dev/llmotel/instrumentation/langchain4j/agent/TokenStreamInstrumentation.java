package dev.llmotel.instrumentation.langchain4j.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Streaming AI services: the agent run starts at {@code start()} and ends just before the app's
 * completion or error callback runs. The callbacks are plain {@code Consumer}s, the same in every
 * release, so wrapping them is safe where wrapping LangChain4j's own handler types would not be.
 */
public class TokenStreamInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.service.AiServiceTokenStream");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("start").and(takesArguments(0)),
        TokenStreamInstrumentation.class.getName() + "$StartAdvice");
    transformer.applyAdviceToMethod(
        named("onCompleteResponse").and(takesArguments(1)).and(takesArgument(0, Consumer.class)),
        TokenStreamInstrumentation.class.getName() + "$CompleteCallbackAdvice");
    transformer.applyAdviceToMethod(
        named("onError").and(takesArguments(1)).and(takesArgument(0, Consumer.class)),
        TokenStreamInstrumentation.class.getName() + "$ErrorCallbackAdvice");
  }

  public static class StartAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object tokenStream) {
      return LangChain4jCalls.tokenStreamStarting(tokenStream);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object tokenStream, @Advice.Enter Object scope,
        @Advice.Thrown Throwable error) {
      LangChain4jCalls.tokenStreamStarted(tokenStream, scope, error);
    }
  }

  public static class CompleteCallbackAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object tokenStream,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object consumer) {
      consumer = LangChain4jCalls.wrapTokenStreamCallback(tokenStream, consumer, false);
    }
  }

  public static class ErrorCallbackAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object tokenStream,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object consumer) {
      consumer = LangChain4jCalls.wrapTokenStreamCallback(tokenStream, consumer, true);
    }
  }
}
