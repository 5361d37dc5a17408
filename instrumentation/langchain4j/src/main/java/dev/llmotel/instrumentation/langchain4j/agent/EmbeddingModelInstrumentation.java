package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Embedding calls: {@code embedAll(List)} of the providers (all of 1.x), and from 1.18 the
 * interface's own {@code embed(EmbeddingRequest)}, which newer providers reach without embedAll.
 */
public class EmbeddingModelInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // The interface itself too: from 1.18 embed(EmbeddingRequest) is its default method.
    return named("dev.langchain4j.model.embedding.EmbeddingModel")
        .or(implementsInterface(named("dev.langchain4j.model.embedding.EmbeddingModel")));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("embedAll").and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, List.class)),
        EmbeddingModelInstrumentation.class.getName() + "$EmbedAdvice");
    transformer.applyAdviceToMethod(
        named("embed").and(not(isAbstract())).and(takesArguments(1))
            .and(takesArgument(0, named("dev.langchain4j.model.embedding.request.EmbeddingRequest"))),
        EmbeddingModelInstrumentation.class.getName() + "$EmbedAdvice");
  }

  public static class EmbedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object model, @Advice.Argument(0) Object input) {
      return LangChain4jCalls.startEmbeddings(model, input);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object response,
        @Advice.Thrown Throwable error) {
      LangChain4jCalls.endEmbeddings(state, response, error);
    }
  }
}
