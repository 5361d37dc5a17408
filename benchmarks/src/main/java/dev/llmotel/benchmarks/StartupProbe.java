package dev.llmotel.benchmarks;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.management.ManagementFactory;

/**
 * Prints the milliseconds from JVM start to the first completed LLM call: the start-up cost a
 * service pays for the agent and the extension. Started by {@link StartupBenchmark} against a fake
 * server in another process, given as the first argument.
 */
public final class StartupProbe {
  public static void main(String[] args) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(args[0]).apiKey("sk-startup-not-a-key").build();
    client.chat().completions().create(ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
        .addUserMessage("hello").build());
    long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    System.out.println("FIRST_CALL_MS " + (System.currentTimeMillis() - startMillis));
    // CPU time of the whole process (all threads) to the same point: less moved by a busy machine.
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      System.out.println("FIRST_CALL_CPU_MS "
          + ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1_000_000);
    }
    System.exit(0);
  }

  private StartupProbe() {}
}
