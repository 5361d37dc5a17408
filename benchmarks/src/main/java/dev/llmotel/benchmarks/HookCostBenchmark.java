package dev.llmotel.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the OpenAI module's {@code OpenAiHookCostBenchmark} once per llm-otel configuration, each in
 * a JVM of its own (the configuration is read once per process), on the module's test classpath
 * that {@code benchmarks/run.sh} wrote, and prints one table.
 */
public final class HookCostBenchmark {
  public static void main(String[] args) throws Exception {
    Path module = Paths.get(System.getProperty("benchmarks.module", "benchmarks"), "../instrumentation/openai-java")
        .toAbsolutePath().normalize();
    String classpath = module.resolve("target/test-classes") + java.io.File.pathSeparator
        + module.resolve("target/classes") + java.io.File.pathSeparator
        + new String(Files.readAllBytes(module.resolve("target/test-classpath.txt")), StandardCharsets.UTF_8).trim();
    Map<String, List<String>> configurations = new LinkedHashMap<>();
    configurations.put("capture off", Collections.emptyList());
    configurations.put("capture on", Collections.singletonList("-Dotel.instrumentation.genai.capture-message-content=true"));
    configurations.put("all policies in monitor mode", BenchmarkSuite.MONITOR_ALL_POLICIES);
    StringBuilder table = new StringBuilder("| configuration | µs per call | KB per call | µs per streamed chunk "
        + "| rounds (ns per call) |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, List<String>> c : configurations.entrySet()) {
      List<String> command = new ArrayList<>(Arrays.asList(
          Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(c.getValue());
      command.addAll(Arrays.asList("-cp", classpath, "dev.llmotel.instrumentation.openai.OpenAiHookCostBenchmark",
          c.getKey()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("HOOK_COST ")) table.append(line.substring("HOOK_COST ".length())).append('\n');
        }
      }
      if (p.waitFor() != 0) throw new IllegalStateException("the hook cost benchmark failed for " + c.getKey());
    }
    System.out.println("=== llm-otel's own hooks per OpenAI chat call, no network, no agent (JDK "
        + System.getProperty("java.version") + ") ===");
    System.out.println(table);
  }

  private HookCostBenchmark() {}
}
