package dev.llmotel.examples.agent;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.TraceTreePrinter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the demo: starts the fake LLM server (unless OPENAI_API_KEY points the assistant at a real
 * endpoint) and a place for the traces, then starts {@link WeatherAssistant} in its own JVM with
 * nothing but the agent flags a team would add. The traces go to a local OTLP receiver that prints
 * each trace as a tree; to OTEL_EXPORTER_OTLP_ENDPOINT when that names a collector, Jaeger or Tempo;
 * or, with {@code --zipkin}, to a Zipkin server started from its Maven Central jar (a real trace UI
 * with no Docker), which runs until Enter is pressed or standard input closes. LLM_OTEL_DEMO_JAVA_OPTS
 * adds JVM flags to the service (record mode, say).
 */
public final class DemoLauncher {
  static final String SERVICE = "weather-assistant";

  public static void main(String[] args) throws Exception {
    Path module = Paths.get(args.length > 0 && !args[0].startsWith("--") ? args[0] : "examples/openai-agent");
    boolean zipkin = Arrays.asList(args).contains("--zipkin");
    Path agent = module.resolve("target/agent/opentelemetry-javaagent.jar");
    Path extension = module.resolve("../../javaagent-extension/target/llm-otel-extension.jar").normalize();
    String classpath = module.resolve("target/classes") + File.pathSeparator
        + new String(Files.readAllBytes(module.resolve("target/classpath.txt")), StandardCharsets.UTF_8).trim();

    boolean realLlm = System.getenv("OPENAI_API_KEY") != null;
    String collector = zipkin ? null : System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    int zipkinPort = Integer.parseInt(envOr("ZIPKIN_PORT", "9411"));
    int exit;
    // The servers close when this block ends, Enter or not; System.exit inside it would skip that and
    // leave Zipkin running (it is a JVM of its own). A shutdown hook covers Ctrl-C.
    try (FakeLlmServer llm = realLlm ? null : FakeLlmServer.start(0);
        OtlpReceiver console = collector != null || zipkin ? null : OtlpReceiver.start();
        ZipkinServer zipkinServer = zipkin ? ZipkinServer.start(module.resolve("target/zipkin/zipkin-server.jar"),
            zipkinPort) : null) {
      List<String> command = new ArrayList<>();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-javaagent:" + agent);
      command.add("-Dotel.javaagent.extensions=" + extension);
      command.add("-Dotel.service.name=" + SERVICE);
      if (zipkinServer != null) {
        // Zipkin takes traces only: the agent's Zipkin exporter, no metrics or logs.
        command.add("-Dotel.traces.exporter=zipkin");
        command.add("-Dotel.exporter.zipkin.endpoint=" + zipkinServer.url() + "/api/v2/spans");
        command.add("-Dotel.metrics.exporter=none");
      } else {
        command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
        command.add("-Dotel.metric.export.interval=2000");
      }
      command.add("-Dotel.logs.exporter=none");
      command.add("-Dotel.javaagent.logging=simple");
      if (console != null) command.add("-Dotel.exporter.otlp.endpoint=" + console.endpoint());
      // More flags for the service, e.g. record mode (docs/chaos-and-replay.md, "Record and replay").
      for (String option : envOr("LLM_OTEL_DEMO_JAVA_OPTS", "").trim().split("\\s+")) {
        if (!option.isEmpty()) command.add(option);
      }
      command.add("-cp");
      command.add(classpath);
      command.add(WeatherAssistant.class.getName());
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      if (llm != null) {
        llm.script("demo-429", Behaviour.error(429, "1"), Behaviour.ok(), Behaviour.ok());
        pb.environment().put("OPENAI_BASE_URL", llm.baseUrl() + "/v1");
        System.out.println("Fake LLM server: " + llm.baseUrl() + "/v1 (set OPENAI_API_KEY to use a real endpoint)");
      }
      System.out.println("Traces go to: " + (console != null ? "this console (set OTEL_EXPORTER_OTLP_ENDPOINT "
          + "to send them to Jaeger, Tempo or a collector, or run ./demo.sh --zipkin)"
          : zipkinServer != null ? "Zipkin at " + zipkinServer.url() : collector));
      System.out.println("Service: java " + String.join(" ", command.subList(1, 4)) + " ... -cp ... "
          + WeatherAssistant.class.getSimpleName());
      exit = pb.start().waitFor();
      if (console != null) {
        console.awaitSpans(s -> s.name().equals("agent-run"), 2, Duration.ofSeconds(10));
        System.out.println();
        System.out.println("=== Traces received (" + console.spans().size() + " spans) ===");
        System.out.println(TraceTreePrinter.renderAll(console.spans()));
      }
      if (zipkinServer != null && exit == 0) {
        System.out.println();
        // The line the Zipkin smoke test waits for before it asks Zipkin's API for the traces.
        System.out.println("Zipkin UI: " + zipkinServer.url() + "/zipkin/?serviceName=" + SERVICE
            + "  (press Enter to stop Zipkin)");
        System.out.flush();
        waitForEnterOrEndOfInput();
      }
    }
    System.exit(exit);
  }

  private static void waitForEnterOrEndOfInput() throws IOException {
    InputStream in = System.in;
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      // wait
    }
  }

  static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  /** Zipkin's own server jar in a JVM of its own, in memory storage, stopped with the demo. */
  static final class ZipkinServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private Thread hook;

    private ZipkinServer(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static ZipkinServer start(Path jar, int port) throws Exception {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build the example first (mvn -B install -DskipTests)");
      }
      Path log = jar.resolveSibling("zipkin.log");
      ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx256m", "-jar", jar.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("QUERY_PORT", String.valueOf(port));
      pb.environment().put("STORAGE_TYPE", "mem");
      System.out.println("Starting Zipkin " + jar.getFileName() + " on port " + port + " (log: " + log + ")");
      ZipkinServer server = new ZipkinServer(pb.start(), port);
      Thread stopOnExit = new Thread(server::stop, "zipkin-stop");
      Runtime.getRuntime().addShutdownHook(stopOnExit);
      server.hook = stopOnExit;
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!server.healthy()) {
        if (!server.process.isAlive()) throw new IllegalStateException("Zipkin did not start: see " + log);
        if (System.nanoTime() > deadline) {
          server.close();
          throw new IllegalStateException("Zipkin did not answer on port " + port + " within 90 s: see " + log);
        }
        Thread.sleep(250);
      }
      return server;
    }

    String url() {
      return "http://localhost:" + port;
    }

    private boolean healthy() {
      try {
        HttpURLConnection c = (HttpURLConnection) new URL(url() + "/health").openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        return c.getResponseCode() == 200;
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public void close() {
      stop();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNone) {
        // the hook runs or ran
      }
    }

    /** Stops Zipkin and waits until it has gone (its port is free again when this returns). */
    private void stop() {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private DemoLauncher() {}
}
