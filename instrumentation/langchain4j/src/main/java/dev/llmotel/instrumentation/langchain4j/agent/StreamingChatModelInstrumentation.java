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
 * Streaming model calls: {@code doChat(ChatRequest, StreamingChatResponseHandler)} (or the
 * providers' own {@code chat}). The method returns at once; the span ends when the provider calls
 * the handler back ({@link StreamingHandlerInstrumentation}). The handler is not wrapped: newer
 * releases added callbacks (tool-call streaming) that a wrapper built against 1.0 would swallow.
 */
public class StreamingChatModelInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("dev.langchain4j.model.chat.StreamingChatModel")).and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        namedOneOf("doChat", "chat").and(not(isAbstract())).and(takesArguments(2))
            .and(takesArgument(0, named("dev.langchain4j.model.chat.request.ChatRequest")))
            .and(takesArgument(1, named("dev.langchain4j.model.chat.response.StreamingChatResponseHandler"))),
        StreamingChatModelInstrumentation.class.getName() + "$StreamAdvice");
  }

  public static class StreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object model, @Advice.Argument(0) Object request,
        @Advice.Argument(1) Object handler) {
      return LangChain4jCalls.startStreamingChat(model, request, handler);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Argument(1) Object handler,
        @Advice.Thrown Throwable error) {
      LangChain4jCalls.streamingChatReturned(state, handler, error);
    }
  }
}
