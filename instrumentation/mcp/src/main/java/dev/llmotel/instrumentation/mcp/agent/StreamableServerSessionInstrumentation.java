package dev.llmotel.instrumentation.mcp.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
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
 * A streamable HTTP server's requests: {@code McpStreamableServerSession.responseStream(request,
 * transport)} (until 1.1.4 and 2.0.x), and its response stream's {@code handle(request)} (from 1.1.5
 * and 2.1), which the first one calls in those releases (one span: the outer one).
 */
public class StreamableServerSessionInstrumentation implements TypeInstrumentation {
  static final String SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
  static final String STREAM = SESSION + "$McpStreamableServerSessionStream";
  static final String REQUEST = "io.modelcontextprotocol.spec.McpSchema$JSONRPCRequest";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(SESSION, STREAM);
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("responseStream").and(takesArguments(2)).and(takesArgument(0, named(REQUEST))),
        StreamableServerSessionInstrumentation.class.getName() + "$ResponseStreamAdvice");
    transformer.applyAdviceToMethod(named("handle").and(takesArguments(1)).and(takesArgument(0, named(REQUEST))),
        StreamableServerSessionInstrumentation.class.getName() + "$HandleAdvice");
  }

  public static class ResponseStreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object session, @Advice.Argument(0) Object request,
        @Advice.Argument(1) Object transport) {
      return McpServerCalls.start(session, transport, request, McpServerCalls.streamableSessionId(session));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object handling,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
        @Advice.Thrown Throwable error) {
      mono = McpServerCalls.end(handling, mono, error);
    }
  }

  public static class HandleAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object onEnter(@Advice.This Object stream, @Advice.Argument(0) Object request) {
      return McpServerCalls.start(stream, stream, request, McpServerCalls.streamSessionId(stream));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object handling,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object mono,
        @Advice.Thrown Throwable error) {
      mono = McpServerCalls.end(handling, mono, error);
    }
  }
}
