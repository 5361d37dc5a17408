package dev.llmotel.smoke.support;

import java.lang.management.ManagementFactory;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A second JVM an app starts (an MCP server), under the agent as this one is: this JVM's java, its
 * agent and other flags (the service name suffixed "-server", the safety tests' fault switch as it is set
 * now), and the class path given.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** llm-otel's test-only fault switch, which ScenarioLoop sets per round of the safety tests. */
  static final String FAULT_SWITCH = "llm-otel.internal.test.fail-hooks";

  public static List<String> command(String classpath, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("-D" + FAULT_SWITCH + "=")) {
        // The safety tests' round: the child's hooks fail at the same stages as this JVM's do now.
        command.add("-D" + FAULT_SWITCH + "=" + System.getProperty(FAULT_SWITCH, ""));
        continue;
      }
      command.add(arg.startsWith("-Dotel.service.name=") ? arg + "-server" : arg);
    }
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** Ends this JVM's child processes (SIGTERM: their agents flush) and waits for them. */
  public static void endChildren() throws Exception {
    for (ProcessHandle child : ProcessHandle.current().children().toArray(ProcessHandle[]::new)) {
      child.destroy();
      child.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
