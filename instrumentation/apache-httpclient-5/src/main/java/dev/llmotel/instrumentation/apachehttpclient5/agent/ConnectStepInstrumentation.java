package dev.llmotel.instrumentation.apachehttpclient5.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.SkippedCall;
import dev.llmotel.instrumentation.apachehttpclient5.ApacheHttpClientFaults;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The classic client's connect step, run once per attempt below the client's own retry and
 * protocol steps: where fault injection and replay answer an attempt in the network's place, so
 * the client's retry of an injected 429 or 503 behaves as it does for a real one.
 */
public class ConnectStepInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.classic.ConnectExec");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(3)),
        ConnectStepInstrumentation.class.getName() + "$ExecuteAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = SkippedCall.class)
    public static Object onEnter(@Advice.Argument(1) Object scope) {
      return ApacheHttpClientFaults.beforeAttempt(scope);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
        @Advice.Thrown(readOnly = false) Throwable error) {
      response = ApacheHttpClientFaults.attemptResponse(state, response);
      error = ApacheHttpClientFaults.attemptFailure(state, error);
    }
  }
}
