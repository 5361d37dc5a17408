package dev.llmotel.instrumentation.apachehttpclient5.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.instrumentation.apachehttpclient5.ApacheHttpClientCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The classic client's execute overloads (the outermost one owns the call's span, as the agent's
 * own instrumentation hooks them too) and doExecute, where every overload gets its response.
 */
public class ClassicClientInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("org.apache.hc.client5.http.impl.classic.CloseableHttpClient",
        "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("execute").and(isPublic()),
        ClassicClientInstrumentation.class.getName() + "$ExecuteAdvice");
    transformer.applyAdviceToMethod(named("doExecute").and(takesArguments(3)),
        ClassicClientInstrumentation.class.getName() + "$DoExecuteAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.AllArguments Object[] args) {
      return ApacheHttpClientCalls.startExecute(args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Thrown(readOnly = false) Throwable error) {
      ApacheHttpClientCalls.endExecute(state, error);
      error = CallRefusal.thrown(state, error);
    }
  }

  public static class DoExecuteAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.Return Object response) {
      ApacheHttpClientCalls.attach(response);
    }
  }
}
