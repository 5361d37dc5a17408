package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Blocking model calls: the provider classes' {@code doChat(ChatRequest)} (most providers) or
 * {@code chat(ChatRequest)} (those that override it). A chat that calls doChat, or a model
 * decorating another, still gives one span: the inner call finds the outer one in the context.
 */
public class ChatModelInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("dev.langchain4j.model.chat.ChatModel")).and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        namedOneOf("doChat", "chat").and(not(isAbstract())).and(takesArguments(1))
            .and(takesArgument(0, named("dev.langchain4j.model.chat.request.ChatRequest"))),
        ChatModelInstrumentation.class.getName() + "$ChatAdvice");
  }

  public static class ChatAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object model, @Advice.Argument(0) Object request) {
      return LangChain4jCalls.startChat(model, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object response,
        @Advice.Thrown(readOnly = false) Throwable error) {
      LangChain4jCalls.endChat(state, response, error);
      error = CallRefusal.thrown(state, error);
    }
  }
}
