package dev.llmotel.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link MemoryProbe} under the agent with llm-otel and content capture on, exporting to a
 * collector that is not there (spans are dropped by the agent's queue, as when an exporter is down),
 * and prints its heap-after-GC series. Argument: the number of calls (default 1,000,000).
 */
public final class MemoryBenchmark {
  public static void main(String[] args) throws Exception {
    String agent = AgentJars.agent();
    String extension = AgentJars.extension();
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-javaagent:" + agent);
    command.add("-Dotel.javaagent.extensions=" + extension);
    command.add("-Dotel.instrumentation.genai.capture-message-content=true");
    command.add("-Dotel.instrumentation.java-http-server.enabled=false");
    command.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:9");
    command.add("-Dotel.javaagent.logging=none");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MemoryProbe.class.getName());
    command.add(args.length > 0 ? args[0] : "1000000");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    System.out.println("=== Heap after GC, llm-otel with content capture on (JDK " + System.getProperty("java.version")
        + ", -Xmx512m) ===");
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("HEAP_AFTER_GC")) System.out.println(line);
      }
    }
    System.exit(p.waitFor());
  }

  private MemoryBenchmark() {}
}
