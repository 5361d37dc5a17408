package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.SkippedCall;
import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The app's stream handlers: each partial response, tool-call or thinking fragment is a chunk; completion or error ends the span. */
public class StreamingHandlerInstrumentation implements TypeInstrumentation {
  private static final String HANDLER = "dev.langchain4j.model.chat.response.StreamingChatResponseHandler";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named(HANDLER)).and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("onPartialResponse").and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, String.class)),
        StreamingHandlerInstrumentation.class.getName() + "$PartialAdvice");
    // From 1.8 providers call onPartialResponse(PartialResponse, PartialResponseContext); LangChain4j's own
    // wrappers override that one and never reach their one-argument method.
    transformer.applyAdviceToMethod(
        named("onPartialResponse").and(not(isAbstract())).and(takesArguments(2))
            .and(takesArgument(0, named("dev.langchain4j.model.chat.response.PartialResponse"))),
        StreamingHandlerInstrumentation.class.getName() + "$PartialAdvice");
    // A stream that ends in tool calls (or thinks first) sends no text: its chunks are tool-call
    // argument fragments (1.2+) and thinking fragments, both chunks of the call. Each arrives through
    // one of the two overloads (LangChain4j's own handler overrides both, neither calling the other).
    for (String kind : new String[] {"ToolCall", "Thinking"}) {
      String type = "dev.langchain4j.model.chat.response.Partial" + kind;
      transformer.applyAdviceToMethod(
          named("onPartial" + kind).and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, named(type))),
          StreamingHandlerInstrumentation.class.getName() + "$PartialAdvice");
      transformer.applyAdviceToMethod(
          named("onPartial" + kind).and(not(isAbstract())).and(takesArguments(2)).and(takesArgument(0, named(type))),
          StreamingHandlerInstrumentation.class.getName() + "$PartialAdvice");
    }
    transformer.applyAdviceToMethod(
        named("onCompleteResponse").and(not(isAbstract())).and(takesArguments(1)),
        StreamingHandlerInstrumentation.class.getName() + "$CompleteAdvice");
    transformer.applyAdviceToMethod(
        named("onError").and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, Throwable.class)),
        StreamingHandlerInstrumentation.class.getName() + "$ErrorAdvice");
  }

  public static class PartialAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object handler) {
      LangChain4jCalls.streamPartial(handler);
    }
  }

  public static class CompleteAdvice {
    // At entry: the span ends before the app's callback runs, which may start the next call, under
    // the context the call started in (returned as a scope, closed at exit). An answer the
    // output_validation policy rejected skips the callback: the exit hands onError the rejection.
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = SkippedCall.class)
    public static Object onEnter(@Advice.This Object handler, @Advice.Argument(0) Object response) {
      return LangChain4jCalls.streamCompleted(handler, response);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object handler, @Advice.Enter Object state) {
      LangChain4jCalls.streamCompleteReturned(handler, state);
    }
  }

  public static class ErrorAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object handler, @Advice.Argument(0) Throwable error) {
      return LangChain4jCalls.streamFailed(handler, error);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object scope) {
      LangChain4jCalls.closeScope(scope);
    }
  }
}
