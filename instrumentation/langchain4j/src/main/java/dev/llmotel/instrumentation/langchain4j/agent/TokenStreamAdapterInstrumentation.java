package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * AI service methods that return a {@code Flux} (langchain4j-reactor) or another adapted stream
 * type: LangChain4j builds a TokenStream inside the method and hands it to a TokenStreamAdapter.
 * langchain4j-reactor's adapter starts the TokenStream at once and returns a Flux that the app
 * reads later, so the method returns long before the model calls end. The run must last until the
 * app receives the stream's end or error, so the agent span goes with the TokenStream instead of
 * ending when the method returns. Only the adapter's SPI interface is named, so no reactive
 * library is referenced here.
 */
public class TokenStreamAdapterInstrumentation implements TypeInstrumentation {
  private static final String ADAPTER = "dev.langchain4j.spi.services.TokenStreamAdapter";

  @Override
  public ElementMatcher<ClassLoader> classLoaderOptimization() {
    return hasClassesNamed(ADAPTER);
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named(ADAPTER));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("adapt").and(takesArguments(1)),
        TokenStreamAdapterInstrumentation.class.getName() + "$AdaptAdvice");
  }

  public static class AdaptAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) Object tokenStream) {
      LangChain4jCalls.tokenStreamAdapting(tokenStream);
    }
  }
}
