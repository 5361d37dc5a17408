package dev.llmotel.instrumentation.langchain4j.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code EmbeddingStoreContentRetriever.retrieve(Query)}: the RAG step of an AI service, which
 * embeds the query (an embeddings span under this one) and searches the store.
 */
public class ContentRetrieverInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("retrieve").and(takesArguments(1)),
        ContentRetrieverInstrumentation.class.getName() + "$RetrieveAdvice");
  }

  public static class RetrieveAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.FieldValue("displayName") String displayName,
        @Advice.FieldValue("embeddingStore") Object store) {
      return LangChain4jCalls.startRetrieval(displayName, store);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object contents,
        @Advice.Thrown Throwable error) {
      LangChain4jCalls.endRetrieval(state, contents, error);
    }
  }
}
