package dev.llmotel.instrumentation.mcp.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.mcp.ModernMcpClientCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Every client transport's {@code exchange} of the SDK's second API: where a request shows its id and protocol version. */
public class ModernClientTransportInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("io.modelcontextprotocol.modern.client.transport.McpClientTransport"));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("exchange").and(takesArguments(1)),
        ModernClientTransportInstrumentation.class.getName() + "$ExchangeAdvice");
  }

  public static class ExchangeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) Object request) {
      ModernMcpClientCalls.exchanging(request);
    }
  }
}
