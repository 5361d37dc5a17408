package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.LlmOtelConfig;
import java.util.Optional;

/**
 * A ChatClient has no name of its own. The agent is named by configuration
 * ({@code otel.instrumentation.llm-otel.spring-ai.agent-name}), else by the application class
 * that called the ChatClient: the first frame on the stack outside Spring, Reactor, the JDK and
 * the agent. Walked once per ChatClient call, lazily, a few microseconds.
 */
final class AgentNames {
  static final String AGENT_NAME_KEY = "otel.instrumentation.llm-otel.spring-ai.agent-name";
  static final String FALLBACK = "ChatClient";
  private static final String CONFIGURED = configured();

  static String current() {
    if (CONFIGURED != null) return CONFIGURED;
    try {
      Optional<String> caller = StackWalker.getInstance().walk(frames -> frames
          .map(StackWalker.StackFrame::getClassName)
          .filter(AgentNames::isApplicationClass)
          .findFirst());
      return caller.map(AgentNames::simpleName).orElse(FALLBACK);
    } catch (Throwable t) {
      return FALLBACK;
    }
  }

  static boolean isApplicationClass(String className) {
    return !(className.startsWith("org.springframework.")
        || className.startsWith("reactor.")
        || className.startsWith("io.micrometer.")
        || className.startsWith("io.opentelemetry.")
        || className.startsWith("dev.llmotel.instrumentation.")
        || className.startsWith("java.")
        || className.startsWith("javax.")
        || className.startsWith("jdk.")
        || className.startsWith("sun.")
        || className.startsWith("com.sun.")
        || className.startsWith("kotlin.")
        || className.startsWith("kotlinx."));
  }

  /** com.acme.WeatherAssistant$$SpringCGLIB$$0 and lambdas: WeatherAssistant. */
  static String simpleName(String className) {
    String name = className.substring(className.lastIndexOf('.') + 1);
    int generated = name.indexOf("$$");
    if (generated > 0) name = name.substring(0, generated);
    int nested = name.indexOf('$');
    if (nested > 0) name = name.substring(0, nested);
    return name.isEmpty() ? FALLBACK : name;
  }

  private static String configured() {
    String v = LlmOtelConfig.raw(AGENT_NAME_KEY);
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  private AgentNames() {}
}
