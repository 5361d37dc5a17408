package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.EncodingType;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import io.opentelemetry.context.Context;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Memory does not depend on prompt size: 1,200 calls whose system prompts are 200,000 characters and
 * all different leave the heap (after a full collection) within a few MB of where it was. Keeping
 * each prompt's text, as a cache keyed by the text did, retains 200 KB per call (over 200 MB here).
 */
class GovernanceMemoryTest {
  private static final int CALLS = 1_200;
  private static final int PROMPT_CHARS = 200_000;
  private static final long ALLOWED_GROWTH = 8L << 20;

  @Test
  void retainedHeapDoesNotGrowWithDistinctLargePrompts() throws Exception {
    // Every policy on (monitor mode), a registry with a pattern that runs over each system text.
    PolicySettings s = new PolicySettings();
    s.timeoutMode = PolicySettings.Mode.MONITOR;
    s.timeoutMillis = 60_000;
    s.inputTokensMode = PolicySettings.Mode.MONITOR;
    s.maxInputTokens = 10_000;
    s.costMode = PolicySettings.Mode.MONITOR;
    s.processCaps.perMinute = 1e9;
    s.perTraceUsd = 1e9;
    s.rateLimitMode = PolicySettings.Mode.MONITOR;
    s.callsPerMinute = Long.MAX_VALUE;
    s.loopGuardMode = PolicySettings.Mode.MONITOR;
    s.maxRepeats = Long.MAX_VALUE;
    PromptRegistry registry = PromptRegistry.parse("{\"prompts\": [{\"system_pattern\": \"never (present|here)\","
        + " \"name\": \"n\", \"version\": \"1\"}]}");
    Governance governance = new Governance(registry, PriceTable.bundled(), s, 100);
    // The tokenizer's vocabulary, if a policy loads it, is loaded before the baseline: it is not request text.
    Tokenizers.prepare();
    Tokenizers.awaitReady(EncodingType.O200K_BASE, 120_000);

    char[] base = randomText(new Random(17), PROMPT_CHARS);
    run(governance, base, 0, 50); // warm-up: classes, thread-locals, first entries of bounded maps
    awaitTokenizerThreads(); // a vocabulary another test started loading must not land in the measurement
    long before = retainedHeap();
    run(governance, base, 50, CALLS);
    awaitTokenizerThreads();
    long after = retainedHeap();
    long growth = after - before;
    assertTrue(growth < ALLOWED_GROWTH, String.format("heap retained %.1f MB more after %d calls with distinct "
        + "%d-character system prompts (before %.1f MB, after %.1f MB)", growth / 1048576.0, CALLS, PROMPT_CHARS,
        before / 1048576.0, after / 1048576.0));
    assertNotNull(governance); // reachable until after the measurement
  }

  private static void run(Governance governance, char[] base, int from, int to) {
    for (int i = from; i < to; i++) {
      // A distinct text each call: the call number overwrites a few characters in the middle.
      char[] text = base.clone();
      String n = Integer.toString(i);
      n.getChars(0, n.length(), text, PROMPT_CHARS / 2);
      boolean openAi = i % 10 == 0; // counted with the tokenizer; the others estimated
      LlmCall call = new LlmCall(openAi ? "openai" : "anthropic", "chat")
          .request().requestModel(openAi ? "gpt-4o-mini" : "claude-sonnet-4").call();
      call.governance().traceId(Integer.toHexString(i % 64));
      call.request().systemInstructions().add(LlmMessage.Part.text(new String(text)));
      call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Question " + i)));
      if (i % 3 == 0) {
        call.request().toolDefinitions().add(new ToolDefinition("function", "lookup", "Looks up " + i, "{}"));
      }
      governance.beforeCall(Context.root(), call);
      call.response().usage(50_000L, 30L);
      call.response().responseModel(call.request().requestModel());
      governance.afterCall(call, 1_000_000L);
    }
  }

  private static char[] randomText(Random random, int length) {
    String[] words = {"the", "assistant", "answers", "politely", "about", "orders", "and", "refunds", "never",
        "shares", "data", "2026-01-01", "id-42", "3.50", "EUR", "\n"};
    StringBuilder sb = new StringBuilder(length + 16);
    while (sb.length() < length) sb.append(words[random.nextInt(words.length)]).append(' ');
    sb.setLength(length);
    return sb.toString().toCharArray();
  }

  private static void awaitTokenizerThreads() throws InterruptedException {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (Tokenizers.THREAD_NAME.equals(t.getName())) t.join(120_000);
    }
  }

  /** Heap in use after full collections, once it stops shrinking. */
  private static long retainedHeap() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int round = 0; round < 10; round++) {
      System.gc();
      Thread.sleep(50);
      long used = memory.getHeapMemoryUsage().getUsed();
      if (used >= last - (256 << 10)) return Math.min(used, last);
      last = used;
    }
    return last;
  }
}
