package dev.llmotel.core;

import java.util.function.Function;

/**
 * The agent's own configuration, as one more source of llm-otel's settings after system properties
 * and environment variables: what the operator put in the agent's configuration file
 * ({@code otel.javaagent.configuration-file}). The agent resolves it (file, system properties and
 * environment, with its precedence) while it starts; the extension hands the result to the copy of
 * llm-otel in the agent's extension loader ({@link #install}), and every other copy asks that one
 * ({@link JvmHost}), so a key means the same in every class loader.
 */
public final class AgentConfiguration {
  /** The agent's resolved configuration, in the extension loader's copy once the agent has built it. */
  private static volatile Function<String, String> installed;
  /** The extension loader's copy, for every other copy; null there, and without the agent. */
  private static volatile Function<Object[], Object> host;
  private static volatile boolean hostLooked;

  private AgentConfiguration() {}

  /** Called by the extension while the agent starts, with its resolved configuration. */
  public static void install(Function<String, String> lookup) {
    installed = lookup;
  }

  /** Whether the agent's configuration has been handed over (in this, the extension loader's, copy). */
  public static boolean installed() {
    return installed != null;
  }

  /** The entry point of the other copies, on the extension loader's copy: {key} to its value or null. */
  public static Function<Object[], Object> endpoint() {
    return args -> {
      Function<String, String> lookup = installed;
      return lookup == null ? null : lookup.apply((String) args[0]);
    };
  }

  /** The value of a key in the agent's configuration, or null (no such key, no agent, or not yet known). */
  static String get(String key) {
    try {
      Function<String, String> lookup = installed;
      if (lookup != null) return lookup.apply(key);
      Function<Object[], Object> remote = host();
      Object value = remote == null ? null : remote.apply(new Object[] {key});
      return value instanceof String ? (String) value : null;
    } catch (Throwable t) {
      return null; // the agent's configuration is a convenience: system properties and environment still apply
    }
  }

  private static Function<Object[], Object> host() {
    if (!hostLooked) {
      synchronized (AgentConfiguration.class) {
        if (!hostLooked) {
          try {
            host = JvmHost.endpoint(AgentConfiguration.class, "endpoint");
          } catch (Throwable t) {
            host = null;
          }
          hostLooked = true;
        }
      }
    }
    return host;
  }
}
