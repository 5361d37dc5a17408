package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Memory independent of prompt size, under the real agent: 300 calls whose system prompts are
 * 200,000 characters and all different (retrieved context in the system prompt). The heap in use
 * after a full GC is compared with the same run under the bare agent (no extension): what llm-otel
 * keeps must be a small constant, not a share of the prompts. Before prompt caches were keyed by
 * hashes, llm-otel kept about 60 MB of such prompts here.
 */
class GovernanceMemorySmokeTest {
  static final List<String> SCENARIO = Collections.singletonList("mem-large-prompts");

  @Test
  void heapRetainedAfterLargeDistinctPromptsIsASmallConstant() throws Exception {
    long withExtension = heapMb(false);
    long bareAgent = heapMb(true);
    System.out.println("heap after GC: " + withExtension + " MB with llm-otel, " + bareAgent + " MB under the bare agent");
    assertTrue(withExtension - bareAgent <= 8, "llm-otel retains " + (withExtension - bareAgent)
        + " MB more than the bare agent (" + withExtension + " vs " + bareAgent + " MB)");
  }

  private static long heapMb(boolean bareAgent) throws Exception {
    try (SmokeRun run = new SmokeRun()) {
      Map<String, String> p = new HashMap<>();
      p.put("-Xmx512m", "");
      // Policies on, so the input-token and cost paths (tokenizer, estimates) run over the large prompts too.
      p.put("otel.instrumentation.llm-otel.cost.mode", "monitor");
      p.put("otel.instrumentation.llm-otel.cost.per-hour-usd", "1000");
      p.put("otel.instrumentation.llm-otel.loop-guard.mode", "monitor");
      if (bareAgent) p.put("otel.javaagent.extensions", "");
      run.launch(bareAgent ? "memory-bare-agent" : "memory-llm-otel", "newest", System.getProperty("java.home"), p,
          SCENARIO);
      String result = run.result("mem-large-prompts");
      assertTrue(result != null && result.startsWith("ok heapMB="), run.tail());
      if (!bareAgent) assertEquals(300, run.llmSpans("mem-large-prompts").size(), "every call traced");
      return Long.parseLong(result.substring("ok heapMB=".length()));
    }
  }
}
