package dev.llmotel.core;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reports configuration mistakes once, at startup. The extension checks the configuration when the
 * agent starts (in its own class loader) and logs each problem there; the copies of our classes that
 * the agent later injects into application class loaders read the same configuration again and
 * then log the same problems only at FINE level, so each mistake is one line in the log.
 */
public final class ConfigProblems {
  static final String STARTUP_CHECK_DONE = "llm-otel.internal.startup-check-done";

  public static void report(Logger logger, String pattern, Object... args) {
    Level level = Boolean.getBoolean(STARTUP_CHECK_DONE) ? Level.FINE : Level.WARNING;
    logger.log(level, pattern, args);
  }

  /** A fact about the configuration worth one line at startup (INFO there, FINE from later copies). */
  public static void info(Logger logger, String pattern, Object... args) {
    Level level = Boolean.getBoolean(STARTUP_CHECK_DONE) ? Level.FINE : Level.INFO;
    logger.log(level, pattern, args);
  }

  /** Called by the extension after it checked the configuration at agent startup. */
  public static void markStartupCheckDone() {
    System.setProperty(STARTUP_CHECK_DONE, "true");
  }

  private ConfigProblems() {}
}
