package dev.llmotel.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmotel.testkit.fakellm.FakeLlmServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Makes N chat calls (default 1,000,000) and prints the heap used after a full GC every tenth of
 * them: with the extension and content capture on, the heap must not grow with the call count.
 * Started by {@link MemoryBenchmark} under the agent.
 */
public final class MemoryProbe {
  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (FakeLlmServer server = FakeLlmServer.start(0)) {
      server.setRecording(false);
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1")
          .apiKey("sk-memory-not-a-key").maxRetries(0).build();
      long start = System.nanoTime();
      for (int i = 1; i <= calls; i++) {
        // Different text every call: caches keyed by prompt text must stay bounded too.
        client.chat().completions().create(ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
            .addSystemMessage("You are assistant number " + (i % 5000) + " for tenant t-" + i)
            .addUserMessage("Question " + i + ": what is the status of order " + i + "?").build());
        if (i % (calls / 10) == 0) {
          System.gc();
          System.gc();
          System.out.printf("HEAP_AFTER_GC calls=%d used_mb=%.1f elapsed_s=%.0f%n", i,
              memory.getHeapMemoryUsage().getUsed() / 1048576.0, (System.nanoTime() - start) / 1e9);
        }
      }
    }
    System.exit(0);
  }

  private MemoryProbe() {}
}
