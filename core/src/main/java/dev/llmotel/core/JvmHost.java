package dev.llmotel.core;

import java.util.function.Function;

/**
 * Where state that must be one per JVM lives: the agent injects a copy of core into every class
 * loader with an instrumented library (the app's, the platform loader for the JDK's HttpClient,
 * each web app's), and each copy's statics are its own. The copy in the agent's extension class
 * loader (one per JVM, never unloaded) hosts such state; every other copy reaches it through a
 * {@code Function<Object[], Object>} over JDK values, the one type all loaders share.
 */
public final class JvmHost {
  private JvmHost() {}

  /**
   * The host copy's entry point for {@code type}: the {@code Function<Object[], Object>} its public
   * static method {@code endpoint} returns. Null when this copy is the host, or there is no agent
   * (unit tests, the library on its own): then this copy's own state is the JVM's.
   */
  @SuppressWarnings("unchecked")
  public static Function<Object[], Object> endpoint(Class<?> type, String endpoint) throws ReflectiveOperationException {
    ClassLoader extensions = extensionsClassLoader();
    if (extensions == null || extensions == type.getClassLoader()) return null;
    Class<?> host = Class.forName(type.getName(), true, extensions);
    // The extensions loader may delegate to a loader of its own per extension jar: this copy may be that one.
    if (host == type) return null;
    return (Function<Object[], Object>) host.getMethod(endpoint).invoke(null);
  }

  /** The agent's extension class loader, or null without the agent. */
  private static ClassLoader extensionsClassLoader() {
    try {
      Class<?> initializer = Class.forName("io.opentelemetry.javaagent.bootstrap.AgentInitializer", false, null);
      return (ClassLoader) initializer.getMethod("getExtensionsClassLoader").invoke(null);
    } catch (Throwable t) {
      return null;
    }
  }
}
