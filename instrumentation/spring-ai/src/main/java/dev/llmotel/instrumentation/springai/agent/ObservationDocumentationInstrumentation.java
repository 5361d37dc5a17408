package dev.llmotel.instrumentation.springai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.springai.SpringAiObservations;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.util.function.Supplier;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Micrometer's {@code ObservationDocumentation.observation(custom, default, context, registry)}, a
 * default method every Spring AI observation is created through. Its result is swapped for our
 * wrapper when the documentation is Spring AI's.
 */
public class ObservationDocumentationInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.micrometer.observation.docs.ObservationDocumentation");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("observation").and(takesArguments(4))
            .and(takesArgument(2, Supplier.class))
            .and(takesArgument(3, named("io.micrometer.observation.ObservationRegistry"))),
        ObservationDocumentationInstrumentation.class.getName() + "$ObservationAdvice");
  }

  public static class ObservationAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object documentation,
        @Advice.Argument(2) Supplier<?> contextSupplier,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object observation) {
      observation = SpringAiObservations.wrap(documentation, observation, contextSupplier);
    }
  }
}
