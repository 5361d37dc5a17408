package dev.llmotel.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Where the time of an instrumented chat call goes: runs {@link OpenAiCallBenchmark#chatCompletion}
 * with llm-otel (capture off) under Java Flight Recorder, then counts the CPU samples of the
 * benchmark thread. The share of samples with an llm-otel frame on the stack, times the measured
 * time per call, is llm-otel's own CPU time per call, free of the machine's scheduling noise that
 * moves the end-to-end medians. Prints that share and the llm-otel methods most often on top.
 */
public final class ProfileBenchmark {
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("llm-otel-jfr");
    Path jfr = dir.resolve("chat.jfr");
    List<String> flags = new ArrayList<>(Arrays.asList("-javaagent:" + AgentJars.agent(),
        "-Dotel.javaagent.extensions=" + AgentJars.extension(), "-Dotel.traces.exporter=none",
        "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.javaagent.logging=none",
        "-Dotel.instrumentation.java-http-server.enabled=false",
        "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile"));
    double meanMicros;
    try (BenchmarkLlmServers.Running servers = BenchmarkLlmServers.launch(OpenAiCallBenchmark.STREAM_CHUNKS)) {
      flags.addAll(servers.flags());
      RunResult result = new Runner(new OptionsBuilder()
          .include(OpenAiCallBenchmark.class.getName() + ".chatCompletion$")
          .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(4))
          .measurementIterations(3).measurementTime(TimeValue.seconds(5))
          .jvmArgsAppend(flags.toArray(new String[0])).build()).runSingle();
      meanMicros = result.getPrimaryResult().getStatistics().getMean();
    }
    long total = 0;
    long inLlmOtel = 0;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    Map<String, Long> topFrames = new HashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
      if (!String.valueOf(e.getThread("sampledThread").getJavaName()).contains("jmh.worker")
          && !String.valueOf(e.getThread("sampledThread").getJavaName()).contains("OpenAiCallBenchmark")) {
        continue;
      }
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null) continue;
      total++;
      long at = e.getStartTime().getEpochSecond() * 1_000_000_000L + e.getStartTime().getNano();
      firstNanos = Math.min(firstNanos, at);
      lastNanos = Math.max(lastNanos, at);
      String topOurs = null;
      for (RecordedFrame f : stack.getFrames()) {
        String type = f.getMethod().getType().getName();
        // Our instrumentation's frames, not the benchmark's own (which shares the package prefix).
        if (type.startsWith("dev.llmotel.") && !type.startsWith("dev.llmotel.benchmarks.")) {
          topOurs = type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
          break;
        }
      }
      if (topOurs != null) {
        inLlmOtel++;
        topFrames.merge(topOurs, 1L, Long::sum);
      }
    }
    double share = total == 0 ? 0 : inLlmOtel / (double) total;
    // The thread makes calls back to back, so the sampled span divided by the time per call is the number
    // of calls; each CPU sample stands for one sampling period (10 ms in the "profile" settings).
    double calls = (lastNanos - firstNanos) / 1000.0 / meanMicros;
    double llmOtelMicrosPerCall = calls <= 0 ? 0 : inLlmOtel * 10_000.0 / calls;
    System.out.println("=== Profile: llm-otel, capture off, one chat call (JFR, benchmark thread) ===");
    System.out.printf(Locale.ROOT, "CPU samples on the benchmark thread: %d; with an llm-otel frame: %d (%.1f%%)%n",
        total, inLlmOtel, share * 100);
    System.out.printf(Locale.ROOT, "mean time per call: %.1f µs over about %.0f calls; llm-otel's CPU time per call: "
        + "about %.1f µs%n", meanMicros, calls, llmOtelMicrosPerCall);
    System.out.println("| llm-otel method nearest the top of the stack | samples |\n|---|---|");
    topFrames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(12).forEach(en -> System.out.println("| " + en.getKey() + " | " + en.getValue() + " |"));
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(p -> p.toFile().delete());
    }
    dir.toFile().delete();
  }

  private ProfileBenchmark() {}
}
