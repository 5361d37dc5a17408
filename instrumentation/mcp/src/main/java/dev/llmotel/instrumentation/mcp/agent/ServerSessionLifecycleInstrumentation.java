package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.McpServerCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A server session's life, for {@code mcp.server.session.duration}: created (constructor), ended
 * ({@code close}, {@code closeGracefully}, and a streamable session's {@code delete}, when its client
 * ends it). Stdio sessions know their transport; streamable HTTP sessions are TCP.
 */
public class ServerSessionLifecycleInstrumentation implements TypeInstrumentation {
  static final String SESSION = "io.modelcontextprotocol.spec.McpServerSession";
  static final String STREAMABLE = StreamableServerSessionInstrumentation.SESSION;

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(SESSION, STREAMABLE);
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(isConstructor().and(isDeclaredBy(named(SESSION))),
        ServerSessionLifecycleInstrumentation.class.getName() + "$SessionOpenedAdvice");
    transformer.applyAdviceToMethod(isConstructor().and(isDeclaredBy(named(STREAMABLE))),
        ServerSessionLifecycleInstrumentation.class.getName() + "$StreamableOpenedAdvice");
    transformer.applyAdviceToMethod(namedOneOf("close", "closeGracefully", "delete").and(takesArguments(0)),
        ServerSessionLifecycleInstrumentation.class.getName() + "$ClosedAdvice");
  }

  public static class SessionOpenedAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object session, @Advice.FieldValue("transport") Object transport) {
      McpServerCalls.sessionOpened(session, transport);
    }
  }

  public static class StreamableOpenedAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object session) {
      McpServerCalls.sessionOpened(session, null);
    }
  }

  public static class ClosedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object session) {
      McpServerCalls.sessionClosed(session);
    }
  }
}
