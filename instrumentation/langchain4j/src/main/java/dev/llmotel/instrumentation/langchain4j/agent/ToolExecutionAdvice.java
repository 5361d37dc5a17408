package dev.llmotel.instrumentation.langchain4j.agent;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import net.bytebuddy.asm.Advice;

/**
 * Around one tool execution, wherever LangChain4j runs it (ToolService from 1.4, the executors
 * before): argument 0 is the ToolExecutionRequest; the result is read whatever its release's type.
 */
public class ToolExecutionAdvice {
  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object onEnter(@Advice.Argument(0) Object request) {
    return LangChain4jCalls.startTool(request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
      @Advice.Thrown Throwable error) {
    LangChain4jCalls.endTool(state, result, error);
  }
}
