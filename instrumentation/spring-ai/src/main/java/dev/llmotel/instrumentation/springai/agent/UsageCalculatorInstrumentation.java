package dev.llmotel.instrumentation.springai.agent;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.springai.CallUsage;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.springframework.ai.chat.metadata.Usage;

/**
 * Where every Spring AI model module turns a call's own usage into the loop's running total
 * ({@code UsageCalculator.getCumulativeUsage(Usage, ChatResponse)}): both are remembered, so the
 * call's span reports its own usage ({@link CallUsage}).
 */
public class UsageCalculatorInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.springframework.ai.support.UsageCalculator");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(isStatic().and(named("getCumulativeUsage")).and(takesArguments(2)),
        UsageCalculatorInstrumentation.class.getName() + "$CumulativeAdvice");
  }

  public static class CumulativeAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Argument(0) Usage own, @Advice.Argument(1) Object previousResponse,
        @Advice.Return Usage reported) {
      CallUsage.noteCumulative(own, previousResponse, reported);
    }
  }
}
