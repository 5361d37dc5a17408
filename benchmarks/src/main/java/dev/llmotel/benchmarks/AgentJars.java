package dev.llmotel.benchmarks;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the build put the agent and the extension, from the benchmarks module's directory. */
final class AgentJars {
  private static final Path MODULE = Paths.get(System.getProperty("benchmarks.module", "benchmarks"));

  static String agent() {
    return MODULE.resolve("target/agent/opentelemetry-javaagent.jar").toAbsolutePath().normalize().toString();
  }

  static String extension() {
    return MODULE.resolve("../javaagent-extension/target/llm-otel-extension.jar").toAbsolutePath().normalize()
        .toString();
  }

  private AgentJars() {}
}
