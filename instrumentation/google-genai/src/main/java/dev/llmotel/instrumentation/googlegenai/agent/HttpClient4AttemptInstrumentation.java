package dev.llmotel.instrumentation.googlegenai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.SkippedCall;
import dev.llmotel.instrumentation.googlegenai.httpclient4.HttpClient4Attempts;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpClient 4's main step (one per attempt, where the connection is opened), as Google
 * GenAI 1.x uses it: where fault injection and replay answer an attempt of a Google GenAI call.
 */
public class HttpClient4AttemptInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.http.impl.execchain.MainClientExec");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(takesArguments(4)),
        HttpClient4AttemptInstrumentation.class.getName() + "$ExecuteAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = SkippedCall.class)
    public static Object onEnter(@Advice.Argument(0) Object route, @Advice.Argument(1) Object request) {
      return HttpClient4Attempts.before(route, request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
        @Advice.Thrown(readOnly = false) Throwable error) {
      error = HttpClient4Attempts.failure(state, error);
      if (error == null) response = HttpClient4Attempts.response(state, response);
    }
  }
}
