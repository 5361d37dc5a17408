package dev.llmotel.core;

/** The extension's version, reported as the instrumentation scope version of every span. */
public final class LlmOtelVersion {
  // Kept in step with the Maven project version by the release step (see docs/architecture.md).
  public static final String VERSION = "0.1.0";

  private LlmOtelVersion() {}
}
