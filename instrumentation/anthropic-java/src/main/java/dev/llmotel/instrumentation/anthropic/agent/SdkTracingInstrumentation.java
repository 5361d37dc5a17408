package dev.llmotel.instrumentation.anthropic.agent;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.anthropic.AnthropicCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Recent SDK releases (3.13 on) trace themselves whenever a global OpenTelemetry is registered, as
 * the agent does: an "anthropic.messages.create" span per call, besides ours. Their tracer lookup,
 * {@code TraceApiCall.tracer(ClientOptions)}, returns null when the SDK must not trace (its spans
 * disabled): here it does so unless the operator keeps the SDK's spans
 * ({@code otel.instrumentation.llm-otel.anthropic.sdk-spans=true}). The agent's HTTP client
 * instrumentation still propagates the trace context.
 */
public class SdkTracingInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.anthropic.core.opentelemetry.TraceApiCall");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("tracer").and(isStatic()).and(takesArguments(1)),
        SdkTracingInstrumentation.class.getName() + "$TracerAdvice");
  }

  public static class TracerAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object tracer) {
      if (AnthropicCalls.silenceSdkSpans()) tracer = null;
    }
  }
}
