package dev.llmotel.benchmarks;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up cost: JVM start to the first completed LLM call, without the agent, with the bare agent
 * and with the agent and llm-otel; the median of several launches of {@link StartupProbe} each.
 */
public final class StartupBenchmark {
  private static final int LAUNCHES = 11;

  public static void main(String[] args) throws Exception {
    String agent = AgentJars.agent();
    String extension = AgentJars.extension();
    List<String> agentFlags = Arrays.asList("-javaagent:" + agent, "-Dotel.traces.exporter=none",
        "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none");
    Map<String, List<String>> configurations = new LinkedHashMap<>();
    configurations.put("no agent", new ArrayList<>());
    List<String> bare = new ArrayList<>(agentFlags);
    bare.add("-Dotel.instrumentation.openai-java.enabled=false");
    configurations.put("bare agent", bare);
    List<String> withExtension = new ArrayList<>(agentFlags);
    withExtension.add("-Dotel.javaagent.extensions=" + extension);
    configurations.put("llm-otel", withExtension);

    StringBuilder table = new StringBuilder("| configuration | JVM start to first LLM call, median of "
        + LAUNCHES + " (ms) | CPU time to first LLM call, median (ms) | all launches, wall clock (ms) |\n"
        + "|---|---|---|---|\n");
    try (FakeLlmServer server = FakeLlmServer.start(0)) {
      server.setRecording(false);
      // Launches take turns (A, B, C, A, B, C, ...) so that a slow minute on the machine hits every
      // configuration alike instead of one.
      Map<String, long[]> millisByConfiguration = new LinkedHashMap<>();
      Map<String, long[]> cpuByConfiguration = new LinkedHashMap<>();
      for (String name : configurations.keySet()) {
        millisByConfiguration.put(name, new long[LAUNCHES]);
        cpuByConfiguration.put(name, new long[LAUNCHES]);
      }
      for (int i = 0; i < LAUNCHES; i++) {
        for (Map.Entry<String, List<String>> c : configurations.entrySet()) {
          long[] wallAndCpu = launch(c.getValue(), server.baseUrl() + "/v1");
          millisByConfiguration.get(c.getKey())[i] = wallAndCpu[0];
          cpuByConfiguration.get(c.getKey())[i] = wallAndCpu[1];
        }
      }
      for (Map.Entry<String, List<String>> c : configurations.entrySet()) {
        long[] millis = millisByConfiguration.get(c.getKey());
        table.append(String.format(Locale.ROOT, "| %s | %d | %d | %s |%n", c.getKey(), median(millis),
            median(cpuByConfiguration.get(c.getKey())), Arrays.toString(millis)));
      }
    }
    System.out.println("=== Start-up (JDK " + System.getProperty("java.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores) ===");
    System.out.println(table);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Wall-clock and CPU milliseconds from JVM start to the first completed call. */
  private static long[] launch(List<String> flags, String baseUrl) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StartupProbe.class.getName());
    command.add(baseUrl);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    long result = -1;
    long cpu = -1;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("FIRST_CALL_MS ")) result = Long.parseLong(line.substring("FIRST_CALL_MS ".length()));
        if (line.startsWith("FIRST_CALL_CPU_MS ")) cpu = Long.parseLong(line.substring("FIRST_CALL_CPU_MS ".length()));
      }
    }
    p.waitFor();
    if (result < 0) throw new IllegalStateException("the probe printed no time");
    return new long[] {result, cpu};
  }

  private StartupBenchmark() {}
}
