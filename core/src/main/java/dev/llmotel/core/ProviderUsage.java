package dev.llmotel.core;

/**
 * How each provider's reported token counts become the semconv usage, in one place for every
 * layer that reads them (the SDK modules from typed responses, the raw-HTTP layer from JSON).
 */
public final class ProviderUsage {
  /**
   * Anthropic's API and Bedrock report input without the cached prefix and cache reads and writes
   * apart; gen_ai.usage.input_tokens includes them (the semconv rule), and they are also reported on
   * their own, for pricing. Nothing is set without an input count.
   */
  public static void inputExcludesCache(LlmCall call, Long input, Long cacheRead, Long cacheWrite, Long output) {
    if (input == null) return;
    long total = input + (cacheRead == null ? 0 : cacheRead) + (cacheWrite == null ? 0 : cacheWrite);
    call.response().usage(total, output);
    if (cacheRead != null || cacheWrite != null) call.response().cacheUsage(cacheRead, cacheWrite);
  }

  /**
   * Gemini: promptTokenCount already includes the cached prefix and is billed with the tool-use
   * prompt; thoughts are billed as output, so they count in the output tokens and are also reported
   * on their own. Nothing is set without a prompt count.
   */
  public static void gemini(LlmCall call, Long prompt, Long toolUsePrompt, Long candidates, Long thoughts, Long cached) {
    if (prompt == null) return;
    Long output = candidates == null && thoughts == null ? null
        : (candidates == null ? 0 : candidates) + (thoughts == null ? 0 : thoughts);
    call.response().usage(prompt + (toolUsePrompt == null ? 0 : toolUsePrompt), output);
    call.response().cacheUsage(cached, null);
    if (thoughts != null) call.response().reasoningOutputTokens(thoughts);
  }

  private ProviderUsage() {}
}
