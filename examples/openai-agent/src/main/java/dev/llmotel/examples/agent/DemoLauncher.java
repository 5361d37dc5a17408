package dev.llmotel.examples.agent;

import dev.llmotel.testkit.fakellm.Behaviour;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.TraceTreePrinter;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the demo: starts the fake LLM server (unless OPENAI_API_KEY points the assistant at a real
 * endpoint) and, unless OTEL_EXPORTER_OTLP_ENDPOINT names a real collector, a local OTLP receiver
 * that prints each trace as a tree; then starts {@link WeatherAssistant} in its own JVM with
 * nothing but the agent flags a team would add.
 */
public final class DemoLauncher {
  public static void main(String[] args) throws Exception {
    Path module = Paths.get(args.length > 0 ? args[0] : "examples/openai-agent");
    Path agent = module.resolve("target/agent/opentelemetry-javaagent.jar");
    Path extension = module.resolve("../../javaagent-extension/target/llm-otel-extension.jar").normalize();
    String classpath = module.resolve("target/classes") + File.pathSeparator
        + new String(Files.readAllBytes(module.resolve("target/classpath.txt")), StandardCharsets.UTF_8).trim();

    boolean realLlm = System.getenv("OPENAI_API_KEY") != null;
    String collector = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
    try (FakeLlmServer llm = realLlm ? null : FakeLlmServer.start(0);
        OtlpReceiver console = collector != null ? null : OtlpReceiver.start()) {
      List<String> command = new ArrayList<>();
      command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-javaagent:" + agent);
      command.add("-Dotel.javaagent.extensions=" + extension);
      command.add("-Dotel.service.name=weather-assistant");
      command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
      command.add("-Dotel.logs.exporter=none");
      command.add("-Dotel.metric.export.interval=2000");
      command.add("-Dotel.javaagent.logging=simple");
      if (console != null) command.add("-Dotel.exporter.otlp.endpoint=" + console.endpoint());
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
          + "to send them to Jaeger, Tempo or a collector)" : collector));
      System.out.println("Service: java " + String.join(" ", command.subList(1, 4)) + " ... -cp ... "
          + WeatherAssistant.class.getSimpleName());
      int exit = pb.start().waitFor();
      if (console != null) {
        console.awaitSpans(s -> s.name().equals("agent-run"), 2, Duration.ofSeconds(10));
        System.out.println();
        System.out.println("=== Traces received (" + console.spans().size() + " spans) ===");
        System.out.println(TraceTreePrinter.renderAll(console.spans()));
      }
      System.exit(exit);
    }
  }

  private DemoLauncher() {}
}
