package dev.llmotel.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU and allocation per call, side by side for every configuration, in one run: each configuration
 * is a {@link CallProbe} JVM kept running, and the rounds are interleaved (round 1 of every
 * configuration, then round 2, ...), so that a slow minute of the machine falls on all of them. Per
 * workload and configuration: the median over rounds and the rounds' range of CPU per call on the
 * calling thread and in the whole probe process (the fake servers run in another process, so their
 * work is not counted; the agent's exporter threads, GC and JIT are), bytes allocated per call by every
 * thread, and OTLP span bytes per call (each agent exports over OTLP/HTTP to a counting receiver here).
 *
 * <p>Each configuration runs in {@code -Dbenchmark.forks=N} JVMs (default 1), as JMH forks: the JIT of one JVM
 * decides once how it compiles the SDK's code around the instrumentation, and that decision moves a short call's
 * CPU by as much as the difference judged, the same way in every round of that JVM. Rounds of one JVM cannot
 * average it out; several JVMs per configuration can. The figures pool every fork's rounds; the paired
 * differences pair fork k of a configuration with fork k of the reference in the same round; and for each
 * configuration the medians of its single JVMs are printed, which is that spread.
 *
 * <p>Usage: {@code CpuPerCallBenchmark [rounds] [redis-url]}; with a redis URL, one more configuration
 * puts every policy in monitor mode on that shared store. {@code -Dbenchmark.before-extension=JAR} adds an
 * earlier build of the extension; {@code -Dbenchmark.only=NAME;...} and {@code -Dbenchmark.workloads=short,...}
 * narrow the run.
 */
public final class CpuPerCallBenchmark {
  /** Calls per round and workload, sized for about a second each on two cores. */
  static final Map<String, Integer> WORKLOADS = new LinkedHashMap<>();

  static {
    WORKLOADS.put("short", 2000);
    WORKLOADS.put("large", 150);
    WORKLOADS.put("stream", 20);
    WORKLOADS.put("http", 2000);
  }

  static final int STREAM_CHUNKS = 200;
  /** Warm-up ends after a cycle of every workload in which the JIT compiled for less than this share of the time. */
  static final double WARM_JIT_SHARE = Double.parseDouble(System.getProperty("benchmark.warm-jit-share", "0.01"));
  static final int MIN_WARM_CYCLES = 3;
  static final int MAX_WARM_CYCLES = Integer.getInteger("benchmark.max-warm-cycles", 30);

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    String redis = args.length > 1 ? args[1] : null;
    String agent = AgentJars.agent();
    String extension = AgentJars.extension();
    List<String> agentCommon = Arrays.asList("-javaagent:" + agent, "-Dotel.javaagent.logging=none",
        "-Dotel.metrics.exporter=otlp", "-Dotel.traces.exporter=otlp", "-Dotel.logs.exporter=otlp",
        "-Dotel.exporter.otlp.protocol=http/protobuf",
        // A round's spans leave before the same JVM's next round (other configurations run in between),
        // so that OTLP bytes are counted per workload; full batches of 512 go out at once anyway.
        "-Dotel.bsp.schedule.delay=1000");
    Map<String, List<String>> configurations = BenchmarkSuite.configurations(agentCommon, extension);
    // An earlier build of the extension, measured in the same run: what a change saved.
    String before = System.getProperty("benchmark.before-extension");
    if (before != null) {
      configurations.put("llm-otel before, capture off", BenchmarkSuite.concat(agentCommon, "-Dotel.javaagent.extensions=" + before));
    }
    if (redis != null) {
      List<String> shared = new ArrayList<>(configurations.get("llm-otel, all policies in monitor mode"));
      shared.add("-Dotel.instrumentation.llm-otel.governance.store=" + redis);
      configurations.put("llm-otel, all policies in monitor mode, Redis store", shared);
    }

    // -Dbenchmark.only=a;b: the configurations whose names start with one of these, for a focused run
    // (names have commas in them, so the list is split at semicolons).
    String only = System.getProperty("benchmark.only");
    if (only != null) {
      configurations.keySet().removeIf(name -> Arrays.stream(only.split(";")).noneMatch(name::startsWith));
    }
    String workloads = System.getProperty("benchmark.workloads");
    if (workloads != null) WORKLOADS.keySet().retainAll(Arrays.asList(workloads.split(",")));
    int forks = Integer.getInteger("benchmark.forks", 1);
    List<Probe> probes = new ArrayList<>();
    try (BenchmarkLlmServers.Running servers = BenchmarkLlmServers.launch(STREAM_CHUNKS)) {
      for (int f = 0; f < forks; f++) {
        for (Map.Entry<String, List<String>> c : configurations.entrySet()) {
          probes.add(Probe.start(c.getKey(), f, c.getValue(), servers));
        }
      }
      // Warm-up, not counted: every workload in every JVM, one JVM at a time, in cycles until the JIT has
      // settled. A fixed count did not do: 6,000 short calls left the instrumentation's own code still being
      // compiled through the rounds, and a JVM with more code to compile (llm-otel's, against the upstream
      // instrumentation's) was then measured partly warm. A cycle is one round's calls of every workload;
      // settled: a cycle in which the JIT compiled for less than WARM_JIT_SHARE of the cycle's wall time,
      // after at least MIN_WARM_CYCLES.
      for (Probe p : probes) p.warmUp();
      for (Probe p : probes) p.receiver.reset();
      for (int r = 0; r < rounds; r++) {
        for (Map.Entry<String, Integer> w : WORKLOADS.entrySet()) {
          // A different configuration goes first each round.
          for (int k = 0; k < probes.size(); k++) {
            Probe p = probes.get((k + r) % probes.size());
            p.measure(w.getKey(), w.getValue());
          }
        }
        System.out.println("round " + (r + 1) + " of " + rounds + " done");
      }
      Thread.sleep(3000); // the last rounds' spans
      for (Probe p : probes) p.settleBytes();
    } finally {
      for (Probe p : probes) p.close();
    }
    System.out.println("=== CPU and allocation per call (JDK " + System.getProperty("java.version") + ", "
        + Runtime.getRuntime().availableProcessors() + " cores, " + rounds + " interleaved rounds"
        + (forks > 1 ? " in each of " + forks + " JVMs per configuration" : "") + "; median [min–max]) ===");
    Map<String, List<Probe>> byName = new LinkedHashMap<>();
    for (Probe p : probes) byName.computeIfAbsent(p.name, n -> new ArrayList<>()).add(p);
    for (String workload : WORKLOADS.keySet()) {
      boolean perChunk = workload.equals("stream");
      System.out.println();
      System.out.println("### " + workload + (perChunk ? " (per chunk, " + STREAM_CHUNKS + " chunks a stream)" : ""));
      System.out.println("| configuration | calling thread CPU (µs) | process CPU (µs) | allocated (KB) | wall (µs) |");
      System.out.println("|---|---|---|---|---|");
      // Calls, or chunks for the stream: per call (per chunk) in µs and KB.
      double units = (double) WORKLOADS.get(workload) * (perChunk ? STREAM_CHUNKS : 1);
      String format = perChunk ? "%.3f" : "%.1f";
      for (Map.Entry<String, List<Probe>> c : byName.entrySet()) {
        List<double[]> results = new ArrayList<>();
        for (Probe p : c.getValue()) results.addAll(p.results.get(workload));
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", c.getKey(),
            stat(results, 0, units * 1000, format), stat(results, 1, units * 1000, format),
            stat(results, 2, units * 1024, format), stat(results, 3, units * 1000, format)));
      }
      if (forks > 1) {
        System.out.println();
        System.out.println("calling thread CPU, the median of each JVM's rounds (µs):");
        for (Map.Entry<String, List<Probe>> c : byName.entrySet()) {
          StringBuilder row = new StringBuilder("| " + c.getKey() + " |");
          for (Probe p : c.getValue()) {
            row.append(' ').append(stat(p.results.get(workload), 0, units * 1000, format).split(" ")[0]).append(" |");
          }
          System.out.println(row);
        }
      }
      pairedDifferences(byName, workload, perChunk);
    }
    System.out.println();
    System.out.println("### OTLP span bytes per call");
    StringBuilder header = new StringBuilder("| configuration |");
    for (String w : WORKLOADS.keySet()) header.append(' ').append(w).append(" |");
    System.out.println(header);
    System.out.println("|---" + "|---".repeat(WORKLOADS.size()) + "|");
    for (Map.Entry<String, List<Probe>> c : byName.entrySet()) {
      StringBuilder row = new StringBuilder("| " + c.getKey() + " |");
      for (Map.Entry<String, Integer> w : WORKLOADS.entrySet()) {
        long bytes = 0;
        for (Probe p : c.getValue()) bytes += p.traceBytes.getOrDefault(w.getKey(), 0L);
        row.append(String.format(Locale.ROOT, " %.0f |", bytes / (double) (w.getValue() * (long) rounds * forks)));
      }
      System.out.println(row);
    }
  }

  /** The reference the extension's configurations are judged against (issue #25's targets). */
  static final String UPSTREAM = "agent, its own OpenAI instrumentation";

  /**
   * Each llm-otel configuration minus the upstream instrumentation, round by round: both are measured in the
   * same round, seconds apart, so a slow minute of the machine falls on both; the median of these differences
   * moves less than the difference of the two medians. With the number of rounds in which llm-otel was at or
   * below the reference. With several JVMs per configuration, fork k is paired with the reference's fork k.
   */
  private static void pairedDifferences(Map<String, List<Probe>> byName, String workload, boolean perChunk) {
    List<Probe> reference = byName.get(UPSTREAM);
    if (reference == null) return;
    double units = (double) WORKLOADS.get(workload) * (perChunk ? STREAM_CHUNKS : 1);
    String format = perChunk ? "%+.3f" : "%+.1f";
    System.out.println();
    System.out.println("minus the upstream instrumentation, round by round (median [min–max]; rounds at or below it):");
    System.out.println("| configuration | calling thread CPU (µs) | process CPU (µs) | allocated (KB) |");
    System.out.println("|---|---|---|---|");
    for (Map.Entry<String, List<Probe>> c : byName.entrySet()) {
      if (!c.getKey().startsWith("llm-otel")) continue;
      List<double[]> differences = new ArrayList<>();
      for (int f = 0; f < Math.min(c.getValue().size(), reference.size()); f++) {
        List<double[]> own = c.getValue().get(f).results.get(workload);
        List<double[]> ref = reference.get(f).results.get(workload);
        for (int k = 0; k < Math.min(own.size(), ref.size()); k++) {
          double[] d = new double[4];
          for (int i = 0; i < 4; i++) d[i] = own.get(k)[i] - ref.get(k)[i];
          differences.add(d);
        }
      }
      System.out.println(String.format(Locale.ROOT, "| %s | %s; %s | %s; %s | %s; %s |", c.getKey(),
          stat(differences, 0, units * 1000, format), atOrBelow(differences, 0),
          stat(differences, 1, units * 1000, format), atOrBelow(differences, 1),
          stat(differences, 2, units * 1024, format), atOrBelow(differences, 2)));
    }
  }

  private static String atOrBelow(List<double[]> differences, int i) {
    long n = differences.stream().filter(d -> d[i] <= 0).count();
    return n + " of " + differences.size();
  }

  /** Median and range over rounds of column {@code i}, each divided by {@code divisor}. */
  private static String stat(List<double[]> rounds, int i, double divisor, String format) {
    double[] values = new double[rounds.size()];
    for (int k = 0; k < values.length; k++) values[k] = rounds.get(k)[i] / divisor;
    Arrays.sort(values);
    double median = values.length % 2 == 1 ? values[values.length / 2]
        : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median, values[0],
        values[values.length - 1]);
  }

  /**
   * One configuration's probe JVM and its results per workload: one {thread ns, process ns, bytes, wall ns,
   * JIT ms} per round.
   */
  static final class Probe implements AutoCloseable {
    final String name;
    final int fork;
    final Process process;
    final BufferedReader out;
    final Writer in;
    final CountingReceiver receiver;
    final Map<String, List<double[]>> results = new LinkedHashMap<>();

    private Probe(String name, int fork, Process process, CountingReceiver receiver) {
      this.name = name;
      this.fork = fork;
      this.process = process;
      this.receiver = receiver;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    static Probe start(String name, int fork, List<String> flags, BenchmarkLlmServers.Running servers) throws IOException {
      CountingReceiver receiver = new CountingReceiver();
      List<String> command = new ArrayList<>();
      command.add(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx1g");
      command.addAll(flags);
      command.add("-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + receiver.port());
      command.add("-Dotel.service.name=probe");
      command.add("-Dbenchmark.fork=" + fork); // only tells the JVMs of one configuration apart in ps
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(CallProbe.class.getName());
      command.add(servers.chatUrl);
      command.add(servers.streamUrl);
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Probe probe = new Probe(name, fork, process, receiver);
      String line;
      while ((line = probe.out.readLine()) != null && !line.equals("READY")) { }
      if (line == null) throw new IOException(name + ": the probe JVM did not start");
      return probe;
    }

    /** Cycles of every workload until one compiles little; prints how many it took and the JIT's last share. */
    void warmUp() throws IOException {
      int cycle = 0;
      double share;
      do {
        cycle++;
        double compilingMs = 0;
        double wallMs = 0;
        for (Map.Entry<String, Integer> w : WORKLOADS.entrySet()) {
          double[] r = run(w.getKey(), w.getValue());
          wallMs += r[3] / 1e6;
          compilingMs += r[4];
        }
        share = compilingMs / wallMs;
      } while ((cycle < MIN_WARM_CYCLES || share >= WARM_JIT_SHARE) && cycle < MAX_WARM_CYCLES);
      System.out.println(String.format(Locale.ROOT, "warm-up of %s, JVM %d: %d cycles, the last compiling %.1f %% of its time",
          name, fork, cycle, share * 100));
    }

    double[] run(String workload, int calls) throws IOException {
      in.write(workload + " " + calls + "\n");
      in.flush();
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("RESULT ")) { }
      if (line == null) throw new IOException(name + ": the probe JVM stopped during " + workload);
      String[] f = line.split(" ");
      return new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
          Double.parseDouble(f[4]), Double.parseDouble(f[5])};
    }

    /** OTLP span bytes per workload: what arrived from one measurement's start to the next one's. */
    final Map<String, Long> traceBytes = new LinkedHashMap<>();
    private String pendingWorkload;
    private long pendingBytes;

    void measure(String workload, int calls) throws IOException {
      settleBytes();
      pendingWorkload = workload;
      pendingBytes = receiver.traceBytes.get();
      results.computeIfAbsent(workload, w -> new ArrayList<>()).add(run(workload, calls));
    }

    void settleBytes() {
      if (pendingWorkload != null) traceBytes.merge(pendingWorkload, receiver.traceBytes.get() - pendingBytes, Long::sum);
      pendingWorkload = null;
    }

    @Override
    public void close() {
      try {
        in.write("EXIT\n");
        in.flush();
      } catch (IOException ignored) {
        // already gone
      }
      process.destroy();
      receiver.close();
    }
  }

  /** An OTLP/HTTP endpoint that counts the bytes of each signal and answers every export with success. */
  static final class CountingReceiver implements AutoCloseable {
    final AtomicLong traceBytes = new AtomicLong();
    private final HttpServer server;

    CountingReceiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      server.createContext("/", exchange -> {
        long n = 0;
        byte[] buffer = new byte[16384];
        try (InputStream body = exchange.getRequestBody()) {
          for (int r; (r = body.read(buffer)) > 0; ) n += r;
        }
        if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) traceBytes.addAndGet(n);
        exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
      });
      server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "otlp-counter");
        t.setDaemon(true);
        return t;
      }));
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    void reset() {
      traceBytes.set(0);
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }


  private CpuPerCallBenchmark() {}
}
