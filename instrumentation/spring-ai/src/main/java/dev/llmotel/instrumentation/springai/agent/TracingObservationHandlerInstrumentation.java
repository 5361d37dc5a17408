package dev.llmotel.instrumentation.springai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.springai.SpringAiObservations;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Micrometer Tracing's span-making observation handler, present when the app turned Spring AI's
 * observations into traces itself (micrometer-tracing with a bridge). It declines the Spring AI
 * observations llm-otel makes spans for, so each call has one span, not two; the app's other
 * handlers (Spring AI's meters, its logging handlers) still see every observation.
 */
public class TracingObservationHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.micrometer.tracing.handler.TracingObservationHandler");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("supportsContext").and(takesArguments(1)),
        TracingObservationHandlerInstrumentation.class.getName() + "$SupportsContextAdvice");
  }

  public static class SupportsContextAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) Object context,
        @Advice.Return(readOnly = false) boolean supported) {
      if (supported && SpringAiObservations.spanOwnedByLlmOtel(context)) supported = false;
    }
  }
}
