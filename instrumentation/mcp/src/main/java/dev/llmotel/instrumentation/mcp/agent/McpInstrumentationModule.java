package dev.llmotel.instrumentation.mcp.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import com.google.auto.service.AutoService;
import dev.llmotel.core.agent.LlmInstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The MCP Java SDK ({@code io.modelcontextprotocol.sdk}, 1.x and 2.x): every client request at the
 * client session's one send method, every request a server handles at its dispatch (stdio and
 * streamable HTTP), trace context carried in the requests' {@code params._meta}; and the SDK's
 * second API ({@code io.modelcontextprotocol.modern}, 2.2 on, stateless): every request at its client's
 * request sender and its server's {@code handle}. Helpers that use the second API's types are only
 * loaded by its advice, so an app on 1.x never links them.
 */
@AutoService(InstrumentationModule.class)
public class McpInstrumentationModule extends LlmInstrumentationModule {
  public McpInstrumentationModule() {
    super("llm-otel-instrumentation-mcp", "llm-otel-mcp", "llm-otel");
  }

  @Override
  public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("io.modelcontextprotocol.spec.McpSchema", "io.modelcontextprotocol.json.TypeRef",
        "reactor.core.publisher.MonoOperator");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new ClientSessionInstrumentation(), new ClientTransportInstrumentation(),
        new ServerSessionInstrumentation(), new StreamableServerSessionInstrumentation(),
        new StreamableServerTransportInstrumentation(), new ServerSessionLifecycleInstrumentation(),
        new StreamableInitializeInstrumentation(), new ModernClientInstrumentation(),
        new ModernClientTransportInstrumentation(), new ModernServerInstrumentation(),
        new ModernServerTransportInstrumentation());
  }
}
