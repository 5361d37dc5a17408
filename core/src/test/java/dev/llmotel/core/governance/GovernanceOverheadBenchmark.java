package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import io.opentelemetry.context.Context;
import java.util.Locale;

/**
 * Prints what the governance checks add to each LLM call: prompt fingerprint, request hash, token
 * estimate, workflow, cost and every policy in monitor mode, against the same with every policy
 * off. A figure to read, not a test: run it with
 * {@code mvn -B -q -pl core exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.llmotel.core.governance.GovernanceOverheadBenchmark}.
 */
public final class GovernanceOverheadBenchmark {
  private static final int WARMUP = 200_000;
  private static final int MEASURED = 500_000;

  public static void main(String[] args) {
    Governance offGovernance = new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), new PolicySettings(), 100);
    Governance monitor = new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), allMonitored(100_000), 100);
    // A limit close to the prompt's size: every call goes through OpenAI's tokenizer.
    Governance tokenized = new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), allMonitored(100), 100);
    int rounds = 5;
    double[] off = new double[rounds];
    double[] mon = new double[rounds];
    double[] tok = new double[rounds];
    double[] offBytes = new double[rounds];
    double[] monBytes = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long before = allocated();
      off[round] = measure(offGovernance);
      offBytes[round] = (allocated() - before) / (double) (WARMUP + MEASURED);
      before = allocated();
      mon[round] = measure(monitor);
      monBytes[round] = (allocated() - before) / (double) (WARMUP + MEASURED);
      tok[round] = measure(tokenized);
      System.out.printf(Locale.ROOT, "round %d: policies off %.0f ns/call (%.0f B); all in monitor mode %.0f ns/call "
          + "(%.0f B); monitor mode with the tokenizer on every call %.0f ns/call%n", round + 1, off[round],
          offBytes[round], mon[round], monBytes[round], tok[round]);
    }
    System.out.printf(Locale.ROOT, "median: governance with policies off %.0f ns/call, %.0f B/call; all policies in "
        + "monitor mode add %.0f ns/call, %.0f B/call; a tokenizer pass (input near the token limit) adds %.0f ns/call%n",
        median(off), median(offBytes), median(mon) - median(off), median(monBytes) - median(offBytes),
        median(tok) - median(mon));
    System.out.println("(JVM " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
        + " cores; a call: 1 system prompt of ~200 chars, 3 messages, 1 tool)");
  }

  /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static PolicySettings allMonitored(long maxInputTokens) {
    PolicySettings s = new PolicySettings();
    s.timeoutMode = PolicySettings.Mode.MONITOR;
    s.timeoutMillis = 60_000;
    s.inputTokensMode = PolicySettings.Mode.MONITOR;
    s.maxInputTokens = maxInputTokens;
    s.costMode = PolicySettings.Mode.MONITOR;
    s.processCaps.perMinute = 1e9;
    s.processCaps.perHour = 1e9;
    s.processCaps.perDay = 1e9;
    s.perTraceUsd = 1e9;
    s.rateLimitMode = PolicySettings.Mode.MONITOR;
    s.callsPerMinute = Long.MAX_VALUE;
    s.loopGuardMode = PolicySettings.Mode.MONITOR;
    s.maxRepeats = Long.MAX_VALUE;
    return s;
  }

  private static double measure(Governance governance) {
    run(governance, WARMUP);
    long start = System.nanoTime();
    run(governance, MEASURED);
    return (System.nanoTime() - start) / (double) MEASURED;
  }

  private static void run(Governance governance, int calls) {
    for (int i = 0; i < calls; i++) {
      LlmCall call = newCall(i);
      governance.beforeCall(Context.root(), call);
      call.response().usage(120L, 30L);
      call.response().responseModel("gpt-4o-mini-2024-07-18");
      governance.afterCall(call, 1_000_000L);
    }
  }

  private static LlmCall newCall(int i) {
    LlmCall call = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").temperature(0.2).call();
    call.governance().traceId(Integer.toHexString(i & 1023));
    call.request().systemInstructions().add(LlmMessage.Part.text("You are a support assistant for ACME. Ticket " + i
        + " opened 2026-11-25. Answer briefly and politely; escalate billing questions to a human agent."));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("My order " + i + " has not arrived.")));
    call.request().inputMessages().add(new LlmMessage("assistant").add(LlmMessage.Part.text("Let me check the order status.")));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Thanks, it was due yesterday.")));
    call.request().toolDefinitions().add(new ToolDefinition("function", "order_status", "Status of an order",
        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}"));
    return call;
  }
}
