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
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** Embeddings, blocking and async. */
public class EmbeddingServiceInstrumentation implements TypeInstrumentation {
  private static final String PARAMS = "com.openai.models.embeddings.EmbeddingCreateParams";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("com.openai.services.blocking.EmbeddingServiceImpl",
        "com.openai.services.async.EmbeddingServiceAsyncImpl");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    ElementMatcher.Junction<net.bytebuddy.description.method.MethodDescription> create =
        named("create").and(isPublic()).and(takesArguments(2)).and(takesArgument(0, named(PARAMS)));
    transformer.applyAdviceToMethod(create.and(not(returns(named(CompletableFuture.class.getName())))),
        EmbeddingServiceInstrumentation.class.getName() + "$CreateAdvice");
    transformer.applyAdviceToMethod(create.and(returns(named(CompletableFuture.class.getName()))),
        EmbeddingServiceInstrumentation.class.getName() + "$CreateAsyncAdvice");
  }

  public static class CreateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startEmbeddings(params, clientOptions);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      OpenAiCalls.endEmbeddings(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }

  public static class CreateAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.Argument(0) Object params,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object requestOptions,
        @Advice.FieldValue("clientOptions") Object clientOptions) {
      Object state = OpenAiCalls.startEmbeddings(params, clientOptions);
      requestOptions = OpenAiCalls.applyTimeout(state, requestOptions);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      OpenAiCalls.endEmbeddingsAsync(state, (CompletableFuture<?>) result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }
}
