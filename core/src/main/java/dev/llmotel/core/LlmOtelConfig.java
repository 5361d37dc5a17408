package dev.llmotel.core;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * Settings read once from system properties, then environment variables (the agent's own
 * convention: {@code otel.foo.bar-baz} is also {@code OTEL_FOO_BAR_BAZ}), then the agent's
 * configuration file. A malformed value is
 * reported in one log line and the safe default is used: a config mistake never stops the app.
 */
public final class LlmOtelConfig {
  private static final Logger logger = Logger.getLogger(LlmOtelConfig.class.getName());

  public static final String CAPTURE_CONTENT = "otel.instrumentation.genai.capture-message-content";
  public static final String CONTENT_MAX_LENGTH = "otel.instrumentation.llm-otel.content.max-length";

  private static final LlmOtelConfig INSTANCE = new LlmOtelConfig();

  private final boolean captureContent;
  private final int contentMaxLength;

  private LlmOtelConfig() {
    captureContent = readBoolean(CAPTURE_CONTENT, false);
    contentMaxLength = readInt(CONTENT_MAX_LENGTH, 16 * 1024, 0, 10 * 1024 * 1024);
  }

  public static LlmOtelConfig get() {
    return INSTANCE;
  }

  /** Whether message text may leave the process. Off unless the operator opts in. */
  public boolean captureContent() { return captureContent; }

  /** Most characters of message text kept per content attribute. */
  public int contentMaxLength() { return contentMaxLength; }

  /**
   * A key's value with the agent's precedence: a system property, else the environment variable,
   * else the agent's configuration file ({@link AgentConfiguration}); null when none sets it.
   */
  public static String raw(String key) {
    String value = System.getProperty(key);
    if (value == null) {
      value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    if (value == null) value = AgentConfiguration.get(key);
    return value == null ? null : value.trim();
  }

  public static boolean readBoolean(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null || value.isEmpty()) return defaultValue;
    if ("true".equalsIgnoreCase(value)) return true;
    if ("false".equalsIgnoreCase(value)) return false;
    invalid(key, value, "true or false", String.valueOf(defaultValue));
    return defaultValue;
  }

  public static int readInt(String key, int defaultValue, int min, int max) {
    String value = raw(key);
    if (value == null || value.isEmpty()) return defaultValue;
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) return parsed;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    invalid(key, value, "a whole number from " + min + " to " + max, String.valueOf(defaultValue));
    return defaultValue;
  }

  /** A number from min to max, or the default (with one log line when the value is not such a number). */
  public static double readDouble(String key, double defaultValue, double min, double max) {
    String value = raw(key);
    if (value == null || value.isEmpty()) return defaultValue;
    try {
      double parsed = Double.parseDouble(value);
      if (parsed >= min && parsed <= max) return parsed;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    invalid(key, value, "a number from " + min + " to " + max, String.valueOf(defaultValue));
    return defaultValue;
  }

  private static void invalid(String key, String value, String expected, String fallback) {
    ConfigProblems.report(logger, "llm-otel: invalid value ''{0}'' for {1} (expected {2}); using {3}",
        new Object[] {value, key, expected, fallback});
  }
}
