package dev.llmotel.instrumentation.mcp.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.llmotel.instrumentation.mcp.McpServerCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A streamable HTTP server transport's {@code sendMessage}: where a response (and its error) goes out. */
public class StreamableServerTransportInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("io.modelcontextprotocol.spec.McpStreamableServerTransport"));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("sendMessage"),
        StreamableServerTransportInstrumentation.class.getName() + "$SendMessageAdvice");
  }

  public static class SendMessageAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void onEnter(@Advice.Argument(0) Object message) {
      McpServerCalls.sending(message);
    }
  }
}
