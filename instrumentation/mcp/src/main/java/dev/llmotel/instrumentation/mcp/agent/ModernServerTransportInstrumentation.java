package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.ModernMcpServerCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The server transports of the SDK's second API, where they hand a request to the server (stdio's
 * {@code dispatch}, the HTTP servlet's {@code doPost}): the context they do it in names the transport.
 */
public class ModernServerTransportInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf("io.modelcontextprotocol.modern.server.transport.StdioMcpTransport",
        "io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("dispatch").and(takesArguments(1))
            .and(takesArgument(0, named("io.modelcontextprotocol.modern.JsonRpc$JSONRPCRequest"))),
        ModernServerTransportInstrumentation.class.getName() + "$DispatchAdvice");
    transformer.applyAdviceToMethod(named("doPost").and(takesArguments(2)),
        ModernServerTransportInstrumentation.class.getName() + "$DispatchAdvice");
  }

  public static class DispatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object transport) {
      return ModernMcpServerCalls.dispatching(transport);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object scope) {
      ModernMcpServerCalls.dispatched(scope);
    }
  }
}
