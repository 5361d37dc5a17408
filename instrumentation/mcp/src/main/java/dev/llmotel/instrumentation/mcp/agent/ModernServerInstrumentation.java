package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.ModernMcpServerCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code McpServer.handle} and {@code handleBlocking} of the SDK's second API: each request its server
 * handles, whatever the transport.
 */
public class ModernServerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.modelcontextprotocol.modern.server.McpServer");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(namedOneOf("handle", "handleBlocking").and(isPublic()).and(takesArguments(2))
            .and(takesArgument(1, named("io.modelcontextprotocol.modern.JsonRpc$JSONRPCRequest"))),
        ModernServerInstrumentation.class.getName() + "$HandleAdvice");
  }

  public static class HandleAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.Argument(1) Object request) {
      return ModernMcpServerCalls.start(request);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object started,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
        @Advice.Thrown Throwable error) {
      mono = ModernMcpServerCalls.end(started, mono, error);
    }
  }
}
