package dev.llmotel.instrumentation.springai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.springai.ModelEndpoints;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ChatModel.call(Prompt)} and {@code EmbeddingModel.call(EmbeddingRequest)} of every model:
 * the model's configured base URL is this thread's while the call runs, for the observation made
 * inside it ({@link ModelEndpoints}).
 */
public class ModelCallInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("org.springframework.ai.chat.model.ChatModel")
        .or(named("org.springframework.ai.embedding.EmbeddingModel")))
        .and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("call").and(not(isAbstract())).and(takesArguments(1))
            .and(takesArgument(0, named("org.springframework.ai.chat.prompt.Prompt")
                .or(named("org.springframework.ai.embedding.EmbeddingRequest")))),
        ModelCallInstrumentation.class.getName() + "$CallAdvice");
  }

  public static class CallAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object model) {
      return ModelEndpoints.enter(model);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state) {
      ModelEndpoints.exit(state);
    }
  }
}
