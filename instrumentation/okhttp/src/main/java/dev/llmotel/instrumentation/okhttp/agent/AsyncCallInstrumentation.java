package dev.llmotel.instrumentation.okhttp.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.okhttp.OkHttpCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Call.enqueue}: the context the app (or an SDK) enqueued an async call in, so that the
 * call's request is decided in it. OkHttp may start a queued call on the thread, and in the
 * context, of another call that just finished; without this, an SDK's queued request would meet
 * the finished call's context instead of its own call's. RealCall is {@code okhttp3.RealCall} in
 * 3.x and {@code okhttp3.internal.connection.RealCall} in 4.x and 5.x.
 */
public class AsyncCallInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("okhttp3.RealCall").or(named("okhttp3.internal.connection.RealCall"));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("enqueue").and(takesArguments(1)),
        AsyncCallInstrumentation.class.getName() + "$EnqueueAdvice");
  }

  public static class EnqueueAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object call) {
      OkHttpCalls.enqueued(call);
    }
  }
}
