package dev.llmotel.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link OpenAiCallBenchmark} once per configuration (no agent; the bare agent; the agent with its
 * own OpenAI instrumentation; the agent with llm-otel, capture off, capture on, every policy in monitor
 * mode), each in forked JVMs with that configuration's flags, and prints one markdown table.
 * Usage: {@code benchmarks/run.sh [quick]}.
 */
public final class BenchmarkSuite {
  /** Every policy in monitor mode, with limits that are never reached: the checks run, nothing is refused. */
  static final List<String> MONITOR_ALL_POLICIES = Arrays.asList(
      "-Dotel.instrumentation.llm-otel.timeout.mode=monitor", "-Dotel.instrumentation.llm-otel.timeout.ms=60000",
      "-Dotel.instrumentation.llm-otel.input-tokens.mode=monitor",
      "-Dotel.instrumentation.llm-otel.input-tokens.max=100000",
      "-Dotel.instrumentation.llm-otel.cost.mode=monitor", "-Dotel.instrumentation.llm-otel.cost.per-hour-usd=1000000",
      "-Dotel.instrumentation.llm-otel.cost.per-trace-usd=1000000",
      "-Dotel.instrumentation.llm-otel.rate-limit.mode=monitor",
      "-Dotel.instrumentation.llm-otel.rate-limit.calls-per-minute=1000000000",
      "-Dotel.instrumentation.llm-otel.loop-guard.mode=monitor",
      "-Dotel.instrumentation.llm-otel.loop-guard.max-repeats=1000000000");

  public static void main(String[] args) throws Exception {
    boolean quick = args.length > 0 && args[0].equals("quick");
    String agent = AgentJars.agent();
    String extension = AgentJars.extension();

    List<String> agentCommon = Arrays.asList("-javaagent:" + agent,
        // Per-call cost only: spans are made and ended, export (batched, off the app's threads) is left out.
        "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
        // Run alone, the benchmark starts its fake server in its own JVM: its server spans are not measured.
        "-Dotel.instrumentation.java-http-server.enabled=false", "-Dotel.javaagent.logging=none");
    Map<String, List<String>> configurations = configurations(agentCommon, extension);

    StringBuilder table = new StringBuilder();
    table.append("| configuration | chat call p50 (µs) | chat call p99 (µs) | allocated per chat call (KB) "
        + "| 1,000-chunk stream p50 (µs) | per streamed chunk (µs) | 64 callers (calls/s) |\n"
        + "|---|---|---|---|---|---|---|\n");
    try (BenchmarkLlmServers.Running servers = BenchmarkLlmServers.launch(OpenAiCallBenchmark.STREAM_CHUNKS)) {
      for (Map.Entry<String, List<String>> c : configurations.entrySet()) {
        run(c.getKey(), concat(c.getValue(), servers.flags().toArray(new String[0])), quick, table);
        System.out.println(table);
      }
    }
    System.out.println("=== Results (JDK " + System.getProperty("java.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores) ===");
    System.out.println(table);
  }

  /**
   * The configurations every benchmark compares, each the JVM flags on top of {@code agentCommon} (the
   * agent and its exporters): no agent, the bare agent, the agent's own OpenAI instrumentation, llm-otel
   * with capture off, with capture on, and with every policy in monitor mode.
   */
  static Map<String, List<String>> configurations(List<String> agentCommon, String extension) {
    Map<String, List<String>> configurations = new LinkedHashMap<>();
    configurations.put("no agent", new ArrayList<>());
    configurations.put("bare agent", concat(agentCommon, "-Dotel.instrumentation.openai-java.enabled=false"));
    configurations.put("agent, its own OpenAI instrumentation", concat(agentCommon,
        "-Dotel.instrumentation.openai-java.enabled=true"));
    List<String> withExtension = concat(agentCommon, "-Dotel.javaagent.extensions=" + extension);
    configurations.put("llm-otel, capture off", withExtension);
    configurations.put("llm-otel, capture on", concat(withExtension,
        "-Dotel.instrumentation.genai.capture-message-content=true"));
    configurations.put("llm-otel, all policies in monitor mode",
        concat(withExtension, MONITOR_ALL_POLICIES.toArray(new String[0])));
    return configurations;
  }

  private static void run(String configuration, List<String> flags, boolean quick, StringBuilder table)
      throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(OpenAiCallBenchmark.class.getName())
        .include(OpenAiThroughputBenchmark.class.getName())
        .forks(1)
        .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(quick ? 2 : 4))
        .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(quick ? 2 : 4))
        .addProfiler(GCProfiler.class)
        .jvmArgsAppend(flags.toArray(new String[0]));
    Map<String, RunResult> byBenchmark = new LinkedHashMap<>();
    for (RunResult r : new Runner(options.build()).run()) {
      String label = r.getParams().getBenchmark();
      byBenchmark.put(label.substring(label.lastIndexOf('.') + 1), r);
    }
    RunResult chat = byBenchmark.get("chatCompletion");
    RunResult stream = byBenchmark.get("streamedChatCompletion");
    RunResult throughput = byBenchmark.get("chatCompletion64Threads");
    double streamP50 = stream.getPrimaryResult().getStatistics().getPercentile(50);
    table.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.0f | %.3f | %.0f |%n", configuration,
        chat.getPrimaryResult().getStatistics().getPercentile(50),
        chat.getPrimaryResult().getStatistics().getPercentile(99),
        allocatedBytes(chat) / 1024.0, streamP50, streamP50 / OpenAiCallBenchmark.STREAM_CHUNKS,
        throughput.getPrimaryResult().getScore()));
  }

  private static double allocatedBytes(RunResult result) {
    for (Map.Entry<String, Result> e : result.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) return e.getValue().getScore();
    }
    return Double.NaN;
  }

  static List<String> concat(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(Arrays.asList(more));
    return out;
  }

  private BenchmarkSuite() {}
}
