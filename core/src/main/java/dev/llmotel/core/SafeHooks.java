package dev.llmotel.core;

import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Our code must never break the host application. Every hook catches its own failures and reports
 * them here: logged once per hook and failure type, then only counted.
 */
public final class SafeHooks {
  private static final Logger logger = Logger.getLogger("dev.llmotel");
  private static final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<>());

  public static void failed(String hook, Throwable t) {
    try {
      if (reported.size() < 1000 && reported.add(hook + ':' + t.getClass().getName())) {
        logger.log(Level.WARNING, "llm-otel: " + hook + " failed; the application call is unaffected", t);
      }
    } catch (Throwable ignored) {
      // logging itself failed: nothing more we can safely do
    }
  }

  private SafeHooks() {}
}
