package dev.llmotel.instrumentation.googlegenai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.instrumentation.googlegenai.GoogleGenAiCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Async models of the releases that send async requests themselves. Earlier releases run the
 * blocking models on a pool thread (CompletableFuture.supplyAsync): those calls are traced by
 * {@link ModelsInstrumentation}, with the caller's context carried over by the agent.
 */
public class AsyncModelsInstrumentation implements TypeInstrumentation {
  private static final String FUTURE = "java.util.concurrent.CompletableFuture";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.google.genai.AsyncModels");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("privateGenerateContent").and(takesArguments(3)).and(takesArgument(0, String.class))
            .and(takesArgument(2, named(ModelsInstrumentation.CONFIG))).and(returns(named(FUTURE))),
        AsyncModelsInstrumentation.class.getName() + "$GenerateAdvice");
    transformer.applyAdviceToMethod(
        named("privateGenerateContentStream").and(takesArguments(3)).and(takesArgument(0, String.class))
            .and(takesArgument(2, named(ModelsInstrumentation.CONFIG))).and(returns(named(FUTURE))),
        AsyncModelsInstrumentation.class.getName() + "$GenerateStreamAdvice");
    transformer.applyAdviceToMethod(
        named("privateEmbedContent").and(takesArgument(0, String.class)).and(returns(named(FUTURE))),
        AsyncModelsInstrumentation.class.getName() + "$EmbedAdvice");
  }

  public static class GenerateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object models, @Advice.Argument(0) String model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object config) {
      Object state = GoogleGenAiCalls.startGenerate(models, model, contents, config, false);
      config = GoogleGenAiCalls.applyTimeout(state, config);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      GoogleGenAiCalls.endGenerateAsync(state, result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }

  public static class GenerateStreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object models, @Advice.Argument(0) String model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object config) {
      Object state = GoogleGenAiCalls.startGenerate(models, model, contents, config, true);
      config = GoogleGenAiCalls.applyTimeout(state, config);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      result = GoogleGenAiCalls.trackAsyncStream(state, result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }

  public static class EmbedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object models, @Advice.Argument(0) String model,
        @Advice.AllArguments Object[] args) {
      return GoogleGenAiCalls.startEmbed(models, model, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      GoogleGenAiCalls.endEmbedAsync(state, result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }
}
