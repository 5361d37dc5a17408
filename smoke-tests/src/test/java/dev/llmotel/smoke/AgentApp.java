package dev.llmotel.smoke;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Launches a test application in its own JVM under the real agent and the built extension, with
 * the agent's debug log on, exporting OTLP over http/protobuf to the test's receiver.
 */
final class AgentApp {
  private static final Pattern RESULT = Pattern.compile("^RESULT (\\S+) (ok|error) ?(.*)$", Pattern.MULTILINE);

  /** Lines the agent logs when an advice or helper fails: a missing helper class is otherwise silent. */
  static final List<String> INSTRUMENTATION_ERROR_MARKERS = Arrays.asList(
      "Failed to handle exception in instrumentation",
      "NoClassDefFoundError",
      "Failed to inject helper",
      " failed; the application call is unaffected",
      "helper list");

  final String output;
  final int exitCode;
  final Map<String, String> results = new LinkedHashMap<>();

  private AgentApp(String output, int exitCode) {
    this.output = output;
    this.exitCode = exitCode;
    Matcher m = RESULT.matcher(output);
    while (m.find()) {
      results.put(m.group(1), m.group(2) + (m.group(3).isEmpty() ? "" : " " + m.group(3)));
    }
  }

  static String javaExecutable(String javaHome) {
    return Paths.get(javaHome, "bin", "java").toString();
  }

  /** Runs the app to completion (it exits by itself) and returns what it printed. */
  static AgentApp run(String name, String javaHome, List<String> classpath, String mainClass,
      String otlpEndpoint, Map<String, String> extraProperties, List<String> args)
      throws IOException, InterruptedException {
    return run(name, javaHome, classpath, mainClass, otlpEndpoint, extraProperties, args, 180);
  }

  /** The same app without any agent: what the application does on its own, to compare against. */
  static AgentApp runWithoutAgent(String name, String javaHome, List<String> classpath, String mainClass,
      List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable(javaHome));
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(mainClass);
    command.addAll(args);
    return execute(name, command, 180);
  }

  static AgentApp run(String name, String javaHome, List<String> classpath, String mainClass,
      String otlpEndpoint, Map<String, String> extraProperties, List<String> args, int timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable(javaHome));
    command.add("-javaagent:" + required("smoke.agentJar"));
    command.add("-Dotel.javaagent.extensions=" + required("smoke.extensionJar"));
    command.add("-Dotel.javaagent.debug=true");
    command.add("-Dotel.service.name=" + name);
    command.add("-Dotel.exporter.otlp.protocol=http/protobuf");
    command.add("-Dotel.exporter.otlp.endpoint=" + otlpEndpoint);
    command.add("-Dotel.traces.exporter=otlp");
    command.add("-Dotel.metrics.exporter=otlp");
    command.add("-Dotel.logs.exporter=none");
    command.add("-Dotel.metric.export.interval=1000");
    command.add("-Dotel.bsp.schedule.delay=200");
    command.add("-Xshare:auto");
    // Short-lived apps on 2 cores: the C1 compiler alone starts the agent faster and leaves the other
    // core to the test. A test whose app runs long and hot (the load test) passes -XX:TieredStopAtLevel=4.
    command.add("-XX:TieredStopAtLevel=1");
    Map<String, String> environment = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : extraProperties.entrySet()) {
      // A key "env:NAME" is an environment variable (secrets: the agent exports the command line as
      // process.command_args); one that starts with "-" is a JVM option (e.g. -Xmx256m), passed as it is.
      if (e.getKey().startsWith(ENV)) {
        environment.put(e.getKey().substring(ENV.length()), e.getValue());
        continue;
      }
      command.add(e.getKey().startsWith("-") ? e.getKey() : "-D" + e.getKey() + "=" + e.getValue());
    }
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(mainClass);
    command.addAll(args);
    return execute(name, command, timeoutSeconds, environment);
  }

  /** The prefix of a launch property that is an environment variable of the app instead. */
  static final String ENV = "env:";

  static AgentApp execute(String name, List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    return execute(name, command, timeoutSeconds, java.util.Collections.<String, String>emptyMap());
  }

  /** Runs any command to its end, its output in smoke-output/NAME.log; for tools the tests run (scripts, CLIs). */
  static AgentApp execute(String name, List<String> command, int timeoutSeconds, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path outDir = Paths.get(required("smoke.outputDir"));
    Files.createDirectories(outDir);
    Path log = outDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("app " + name + " did not finish in " + timeoutSeconds + " s; log: " + log);
    }
    String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    return new AgentApp(output, process.exitValue());
  }

  /** The app's classes and runtime classpath, built by the smoke app module of that name. */
  static List<String> appClasspath(String appModule) throws IOException {
    Path dir = Paths.get(required("smoke.appsDir"), appModule, "target");
    List<String> cp = new ArrayList<>();
    cp.add(dir.resolve("classes").toString());
    String deps = new String(Files.readAllBytes(dir.resolve("classpath.txt")), StandardCharsets.UTF_8).trim();
    cp.addAll(Arrays.asList(deps.split(File.pathSeparator)));
    return cp;
  }

  /** Lines that show an instrumentation failure (helper missing, advice threw, our hook failed). */
  List<String> instrumentationErrors() {
    List<String> errors = new ArrayList<>();
    for (String line : output.split("\n")) {
      for (String marker : INSTRUMENTATION_ERROR_MARKERS) {
        if (line.contains(marker) && !line.contains("Instrumentation openai-java is disabled")) {
          errors.add(line);
          break;
        }
      }
    }
    return errors;
  }

  static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) throw new IllegalStateException("system property " + property + " is not set");
    return value;
  }
}
