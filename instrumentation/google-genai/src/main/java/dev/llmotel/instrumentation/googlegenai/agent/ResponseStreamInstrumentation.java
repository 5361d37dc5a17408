package dev.llmotel.instrumentation.googlegenai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.googlegenai.GoogleGenAiCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The stream's iterator (an inner class of ResponseStream, whose outer instance carries the call)
 * and ResponseStream.close: each chunk, the end, a failure while reading, an early close.
 */
public class ResponseStreamInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.google.genai.ResponseStream$ResponseStreamIterator")
        .or(named("com.google.genai.ResponseStream"));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("next").and(takesArguments(0)).and(returns(named("com.google.genai.JsonSerializable"))),
        ResponseStreamInstrumentation.class.getName() + "$NextAdvice");
    transformer.applyAdviceToMethod(named("hasNext").and(takesArguments(0)),
        ResponseStreamInstrumentation.class.getName() + "$HasNextAdvice");
    transformer.applyAdviceToMethod(named("close").and(takesArguments(0)),
        ResponseStreamInstrumentation.class.getName() + "$CloseAdvice");
  }

  public static class NextAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.FieldValue("this$0") Object responseStream, @Advice.Return Object element,
        @Advice.Thrown Throwable error) {
      GoogleGenAiCalls.onNext(responseStream, element, error);
    }
  }

  public static class HasNextAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.FieldValue("this$0") Object responseStream, @Advice.Return boolean hasNext,
        @Advice.Thrown(readOnly = false) Throwable error) {
      error = GoogleGenAiCalls.onHasNext(responseStream, hasNext, error);
    }
  }

  public static class CloseAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object responseStream) {
      GoogleGenAiCalls.onClose(responseStream);
    }
  }
}
