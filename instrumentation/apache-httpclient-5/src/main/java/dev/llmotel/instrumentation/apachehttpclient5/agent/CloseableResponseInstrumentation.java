package dev.llmotel.instrumentation.apachehttpclient5.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.apachehttpclient5.ApacheHttpClientCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** CloseableHttpResponse.close: a response closed without reading its body still ends its span. */
public class CloseableResponseInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("org.apache.hc.client5.http.impl.classic.CloseableHttpResponse");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("close").and(takesArguments(0)),
        CloseableResponseInstrumentation.class.getName() + "$CloseAdvice");
  }

  public static class CloseAdvice {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.This Object response) {
      ApacheHttpClientCalls.closed(response);
    }
  }
}
