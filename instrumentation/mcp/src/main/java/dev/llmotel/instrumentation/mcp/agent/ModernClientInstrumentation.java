package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.ModernMcpClientCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code JsonRpcRequestSender.send(method, name, params, meta, ...)} of the SDK's second API
 * ({@code io.modelcontextprotocol.modern}): every request its sync and async clients send.
 */
public class ModernClientInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.modelcontextprotocol.modern.client.JsonRpcRequestSender");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("send").and(takesArguments(8)).and(takesArgument(0, String.class))
            .and(takesArgument(1, String.class)).and(takesArgument(3, java.util.Map.class)),
        ModernClientInstrumentation.class.getName() + "$SendAdvice");
  }

  public static class SendAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.FieldValue("transport") Object transport, @Advice.Argument(0) String method,
        @Advice.Argument(1) String name,
        @Advice.Argument(value = 3, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object meta) {
      Object started = ModernMcpClientCalls.start(transport, method, name, meta);
      meta = ModernMcpClientCalls.meta(started, meta);
      return started;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object started,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
        @Advice.Thrown Throwable error) {
      mono = ModernMcpClientCalls.end(started, mono, error);
    }
  }
}
