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
 * Runs the SDK modules' hook-cost benchmarks ({@code OpenAiHookCostBenchmark},
 * {@code AnthropicHookCostBenchmark}, {@code OkHttpHookCostBenchmark} for the plain-HTTP layer) once per llm-otel configuration, each in a JVM of its own (the
 * configuration is read once per process), on the module's test classpath that
 * {@code benchmarks/run.sh} wrote, and prints one table per SDK.
 */
public final class HookCostBenchmark {
  public static void main(String[] args) throws Exception {
    Map<String, List<String>> configurations = new LinkedHashMap<>();
    configurations.put("capture off", Collections.emptyList());
    configurations.put("capture on", Collections.singletonList("-Dotel.instrumentation.genai.capture-message-content=true"));
    configurations.put("all policies in monitor mode", BenchmarkSuite.MONITOR_ALL_POLICIES);
    Map<String, List<String>> openAi = new LinkedHashMap<>(configurations);
    // The same call declaring a json_schema answer, and the answer checked against it (output validation).
    openAi.put("capture off, structured answer checked", Collections.singletonList("-Dllm-otel.benchmark.structured=true"));
    // A 400,000-character prompt (about 100,000 tokens of retrieved text), one of eight each call.
    String bigPrompt = "-Dllm-otel.benchmark.prompt-chars=400000";
    openAi.put("capture off, 400,000-character prompt", Arrays.asList(bigPrompt, "-Dllm-otel.benchmark.calls=20000"));
    List<String> loopGuardOnly = new ArrayList<>(Arrays.asList(bigPrompt, "-Dllm-otel.benchmark.calls=2000",
        "-Dotel.instrumentation.llm-otel.loop-guard.mode=monitor",
        "-Dotel.instrumentation.llm-otel.loop-guard.max-repeats=1000000000"));
    openAi.put("loop guard (monitor), 400,000-character prompt", loopGuardOnly);
    List<String> allPoliciesBig = new ArrayList<>(BenchmarkSuite.MONITOR_ALL_POLICIES);
    allPoliciesBig.add(bigPrompt);
    allPoliciesBig.add("-Dllm-otel.benchmark.calls=200");
    openAi.put("all policies in monitor mode, 400,000-character prompt", allPoliciesBig);
    print("OpenAI chat call", "openai-java", "dev.llmotel.instrumentation.openai.OpenAiHookCostBenchmark", openAi);
    print("Anthropic Messages call", "anthropic-java",
        "dev.llmotel.instrumentation.anthropic.AnthropicHookCostBenchmark", configurations);
    print("plain-HTTP chat call (OkHttp, body read by the app)", "okhttp",
        "dev.llmotel.instrumentation.okhttp.OkHttpHookCostBenchmark", configurations);
  }

  /** Runs one SDK module's benchmark per configuration, each in a JVM of its own, and prints a table. */
  private static void print(String what, String moduleName, String mainClass, Map<String, List<String>> configurations)
      throws Exception {
    Path module = Paths.get(System.getProperty("benchmarks.module", "benchmarks"), "../instrumentation/" + moduleName)
        .toAbsolutePath().normalize();
    String classpath = module.resolve("target/test-classes") + java.io.File.pathSeparator
        + module.resolve("target/classes") + java.io.File.pathSeparator
        + new String(Files.readAllBytes(module.resolve("target/test-classpath.txt")), StandardCharsets.UTF_8).trim();
    StringBuilder table = new StringBuilder("| configuration | µs per call | KB per call | µs per streamed chunk "
        + "| rounds (ns per call) |\n|---|---|---|---|---|\n");
    for (Map.Entry<String, List<String>> c : configurations.entrySet()) {
      List<String> command = new ArrayList<>(Arrays.asList(
          Paths.get(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(c.getValue());
      command.addAll(Arrays.asList("-cp", classpath, mainClass, c.getKey()));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("HOOK_COST ")) table.append(line.substring("HOOK_COST ".length())).append('\n');
        }
      }
      if (p.waitFor() != 0) throw new IllegalStateException("the hook cost benchmark failed for " + c.getKey());
    }
    System.out.println("=== llm-otel's own hooks per " + what + ", no network, no agent (JDK "
        + System.getProperty("java.version") + ") ===");
    System.out.println(table);
  }

  private HookCostBenchmark() {}
}
