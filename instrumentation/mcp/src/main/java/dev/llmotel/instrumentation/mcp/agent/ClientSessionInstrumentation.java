package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.McpClientCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code McpClientSession.sendRequest(method, params, type)}: every request of an MCP client. */
public class ClientSessionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.modelcontextprotocol.spec.McpClientSession");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("sendRequest").and(takesArguments(3))
            .and(takesArgument(0, String.class)),
        ClientSessionInstrumentation.class.getName() + "$SendRequestAdvice");
    transformer.applyAdviceToMethod(isConstructor(), ClientSessionInstrumentation.class.getName() + "$OpenedAdvice");
    transformer.applyAdviceToMethod(namedOneOf("close", "closeGracefully").and(takesArguments(0)),
        ClientSessionInstrumentation.class.getName() + "$ClosedAdvice");
  }

  public static class OpenedAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object session, @Advice.FieldValue("transport") Object transport) {
      McpClientCalls.sessionOpened(session, transport);
    }
  }

  public static class ClosedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.This Object session) {
      McpClientCalls.sessionClosed(session);
    }
  }

  public static class SendRequestAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object session, @Advice.FieldValue("transport") Object transport,
        @Advice.Argument(0) String method,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object params) {
      Object started = McpClientCalls.start(session, transport, method, params);
      params = McpClientCalls.params(started, params);
      return started;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object started,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
        @Advice.Thrown Throwable error) {
      mono = McpClientCalls.end(started, mono, error);
    }
  }
}
