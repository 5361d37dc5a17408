package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.McpServerCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A streamable HTTP server answers {@code initialize} through its session factory
 * ({@code DefaultMcpStreamableServerSessionFactory.startSession}), not the session's dispatch: the
 * request's SERVER span starts there and ends when the initialize result is produced.
 */
public class StreamableInitializeInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.modelcontextprotocol.spec.DefaultMcpStreamableServerSessionFactory");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("startSession").and(takesArguments(1))
            .and(takesArgument(0, named("io.modelcontextprotocol.spec.McpSchema$InitializeRequest"))),
        StreamableInitializeInstrumentation.class.getName() + "$StartSessionAdvice");
  }

  public static class StartSessionAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Argument(0) Object request) {
      return McpServerCalls.startInitialize(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object started,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object init,
        @Advice.Thrown Throwable error) {
      init = McpServerCalls.endInitialize(started, init, error);
    }
  }
}
