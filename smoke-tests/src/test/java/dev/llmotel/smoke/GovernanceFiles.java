package dev.llmotel.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** The operator's files of the governance smoke tests: policies, test prices, a prompt registry. */
final class GovernanceFiles {
  /** Test prices (USD per million tokens): gpt-4o is absurdly dear so that one call exhausts a budget. */
  static final double MINI_INPUT = 1.0;
  static final double MINI_OUTPUT = 2.0;

  static Path write(String name, String content) throws IOException {
    Path dir = Paths.get(AgentApp.required("smoke.outputDir"));
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    // The smoke tests run in two JVMs at once and several write the same file (the policies of a mode):
    // written in place, an app starting in the other JVM could read it half written.
    Path partial = Files.createTempFile(dir, name, ".partial");
    Files.write(partial, content.getBytes(StandardCharsets.UTF_8));
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  static String policies(String mode) {
    return "{\n"
        + "  \"timeout\": {\"mode\": \"" + mode + "\", \"ms\": 700, \"first_chunk_ms\": 500},\n"
        + "  \"input_tokens\": {\"mode\": \"" + mode + "\", \"max\": 5000},\n"
        + "  \"rate_limit\": {\"mode\": \"" + mode + "\", \"models\": {\"gpt-4.1-nano\": 2}},\n"
        + "  \"loop_guard\": {\"mode\": \"" + mode + "\", \"max_repeats\": 2},\n"
        + "  \"output_validation\": {\"mode\": \"" + mode + "\"},\n"
        + "  \"cost\": {\"mode\": \"" + mode + "\", \"workflows\": {\"budgeted\": {\"per_minute_usd\": 2.0}}},\n"
        + "  \"workflow_rules\": [{\"match\": \"^scenario gov-rule$\", \"workflow\": \"rule-matched\"}]\n"
        + "}\n";
  }

  static final String PRICES = "{\"taken\": \"2026-11-25\", \"prices\": [\n"
      + "  {\"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"input\": " + MINI_INPUT + ", \"output\": "
      + MINI_OUTPUT + "},\n"
      + "  {\"provider\": \"openai\", \"model\": \"gpt-4o\", \"input\": 100000, \"output\": 100000}\n"
      + "]}\n";

  static final String REGISTRY = "{\"prompts\": [\n"
      + "  {\"system_pattern\": \"^You are a refunds assistant\", \"name\": \"refunds\", \"version\": \"3\"}\n"
      + "]}\n";

  static Map<String, String> properties(String mode) throws IOException {
    Map<String, String> p = new HashMap<>();
    p.put("otel.instrumentation.llm-otel.policy-file", write("policies-" + mode + ".json", policies(mode)).toString());
    p.put("otel.instrumentation.llm-otel.prices", write("prices.json", PRICES).toString());
    p.put("otel.instrumentation.llm-otel.prompt-registry", write("prompts.json", REGISTRY).toString());
    return p;
  }

  private GovernanceFiles() {}
}
