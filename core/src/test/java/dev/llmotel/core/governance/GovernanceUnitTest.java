package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.PolicyDecision;
import dev.llmotel.core.ToolDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GovernanceUnitTest {

  private static LlmCall call(String system, String user) {
    LlmCall call = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    call.request().systemInstructions().add(LlmMessage.Part.text(system));
    call.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text(user)));
    return call;
  }

  @Test
  void normalizationRemovesWhatVariesPerRequest() {
    assertEquals("Order <id> for <id> on <date> costs <n> EUR",
        Fingerprints.normalize("Order 6f1c2a9e-1b2c-4d3e-8f90-123456789abc  for cus_8Ks9a1\n on 2026-11-25T10:00:00Z costs 12.50 EUR"));
  }

  @Test
  void fingerprintCoversTheTemplateAndTheRequestHashTheWholeRequest() {
    LlmCall a = call("You help. Ticket 12 from 2026-01-01.", "hello");
    LlmCall b = call("You help.  Ticket 99 from 2025-12-31.", "something else");
    LlmCall edited = call("You help politely. Ticket 12 from 2026-01-01.", "hello");
    assertEquals(Fingerprints.promptFingerprint(a), Fingerprints.promptFingerprint(b));
    assertNotEquals(Fingerprints.promptFingerprint(a), Fingerprints.promptFingerprint(edited));
    assertNotEquals(Fingerprints.requestHash(a), Fingerprints.requestHash(b));
    assertEquals(Fingerprints.requestHash(a), Fingerprints.requestHash(call("You help. Ticket 12 from 2026-01-01.", "hello")));
    LlmCall withTool = call("You help. Ticket 12 from 2026-01-01.", "hello");
    withTool.request().toolDefinitions().add(new ToolDefinition("function", "get_weather", "Weather", "{}"));
    assertNotEquals(Fingerprints.promptFingerprint(a), Fingerprints.promptFingerprint(withTool));
  }

  /**
   * Fingerprints found by the template text's identity (64 slots) equal the template's own, with many
   * threads started together over more String objects than slots, equal texts in distinct objects among them.
   */
  @Test
  void fingerprintsFoundByTheTextsIdentityAreTheTemplatesOwnUnderManyThreads() throws Exception {
    int texts = 40;
    String[] objects = new String[200];
    String[] expected = new String[texts];
    for (int t = 0; t < texts; t++) {
      expected[t] = Fingerprints.promptFingerprint(call(new String(template(t)), "hi"));
    }
    for (int o = 0; o < objects.length; o++) {
      int t = o % texts;
      objects[o] = new String(template(t));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
    for (int thread = 0; thread < 16; thread++) {
      int seed = thread;
      results.add(pool.submit(() -> {
        start.await();
        int wrong = 0;
        for (int i = 0; i < 5_000; i++) {
          int o = (i * 13 + seed * 29) % objects.length;
          if (!expected[o % texts].equals(Fingerprints.promptFingerprint(call(objects[o], "question " + i)))) wrong++;
        }
        return wrong;
      }));
    }
    start.countDown();
    for (java.util.concurrent.Future<Integer> r : results) {
      assertEquals(0, (int) r.get(60, java.util.concurrent.TimeUnit.SECONDS), "another template's fingerprint");
    }
    pool.shutdown();
    assertEquals(texts, new java.util.HashSet<>(java.util.Arrays.asList(expected)).size(), "distinct templates");
  }

  /** Templates that differ in words, not in what normalization takes out (numbers, ids). */
  private static String template(int t) {
    return "You are the " + (char) ('a' + t % 26) + (char) ('a' + t / 26) + " desk. Ticket 17.";
  }

  @Test
  void requestHashIsTheHashOfTheRequestsTextWhateverItsPieces() {
    LlmCall call = call("Système 🙂 \uD800 prompt", "héllo");
    String expected = Fingerprints.textHash("openai|chat|gpt-4o-mini|null|null|null|null|null\n"
        + "system:Système 🙂 \uD800 prompt\n" + "user:text/null/null/null/héllo;\n");
    assertEquals(expected, Fingerprints.requestHash(call));
    assertEquals(16, expected.length());
  }

  @Test
  void theTextHashIsTheSameHoweverTheTextIsSplitAndTellsNearTextsApart() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < 5000; i++) b.append("passage ").append(i).append(" é🙂 ");
    String text = b.toString();
    String whole = Fingerprints.textHash(text);
    java.util.Random random = new java.util.Random(7);
    for (int trial = 0; trial < 50; trial++) {
      Fingerprints.TextHash h = new Fingerprints.TextHash();
      h.reset();
      for (int at = 0; at < text.length(); ) {
        int end = Math.min(text.length(), at + 1 + random.nextInt(trial % 2 == 0 ? 7 : 3000));
        if (random.nextBoolean()) h.append(text, at, end); else h.append(new StringBuilder(text.substring(at, end)), 0, end - at);
        at = end;
      }
      assertEquals(whole, h.finishHex(), "split at random places, trial " + trial);
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    seen.add(whole);
    // One unit changed anywhere, one unit more or less, the same units in another order: all different.
    for (int i = 0; i < text.length(); i += 97) {
      char[] c = text.toCharArray();
      c[i] ^= 1;
      assertTrue(seen.add(Fingerprints.textHash(new String(c))), "a change at " + i);
    }
    assertTrue(seen.add(Fingerprints.textHash(text + " ")));
    assertTrue(seen.add(Fingerprints.textHash(text.substring(1))));
    assertTrue(seen.add(Fingerprints.textHash(text.substring(4) + text.substring(0, 4))));
    assertTrue(seen.add(Fingerprints.textHash("")));
    assertTrue(seen.add(Fingerprints.textHash("\0")), "a zero unit is not nothing");
  }

  @Test
  void datedSnapshotsResolveToTheirFamilyAndCachedTokensArePricedApart() {
    PriceTable prices = PriceTable.bundled();
    PriceTable.Price mini = prices.find("openai", "gpt-4o-mini-2024-07-18");
    assertEquals(0.15, mini.input);
    assertEquals(prices.find("anthropic", "claude-sonnet-4").output,
        prices.find("anthropic", "claude-sonnet-4-20250514").output);
    assertNull(prices.find("openai", "my-finetune"));
    // 1,000 input of which 400 cached, 100 output: 600*0.15 + 400*0.075 + 100*0.60, per million.
    assertEquals((600 * 0.15 + 400 * 0.075 + 100 * 0.60) / 1e6, mini.cost(1000, 100, 400, 0), 1e-15);
    assertEquals(prices.find("openai", "gpt-4o").input, prices.find("azure.ai.openai", "gpt-4o").input);
  }

  @Test
  void bedrockModelIdsAndGeminiVersionsResolveToTheirFamily() {
    PriceTable prices = PriceTable.bundled();
    PriceTable.Price haiku = prices.find("aws.bedrock", "anthropic.claude-3-haiku");
    assertEquals(0.25, haiku.input);
    assertEquals(haiku, prices.find("aws.bedrock", "anthropic.claude-3-haiku-20240307-v1:0"));
    assertEquals(haiku, prices.find("aws.bedrock", "us.anthropic.claude-3-haiku-20240307-v1:0"),
        "a cross-region inference profile");
    assertEquals(prices.find("aws.bedrock", "amazon.nova-lite"), prices.find("aws.bedrock", "amazon.nova-lite-v1:0"));
    assertEquals(prices.find("aws.bedrock", "amazon.titan-embed-text"),
        prices.find("aws.bedrock", "amazon.titan-embed-text-v2:0"));
    assertNull(prices.find("aws.bedrock", "meta.llama-unknown-v1:0"));
    assertEquals(prices.find("gcp.gemini", "gemini-2.0-flash"), prices.find("gcp.gemini", "gemini-2.0-flash-001"));
  }

  @Test
  void anOverrideFileReplacesAndAddsPrices() {
    PriceTable t = PriceTable.withOverrides(PriceTable.bundled(), "{\"taken\": \"2026-11-01\", \"prices\": ["
        + "{\"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"input\": 9, \"output\": 9},"
        + "{\"provider\": \"ollama\", \"model\": \"llama3\", \"input\": 0, \"output\": 0}]}");
    assertEquals(9, t.find("openai", "gpt-4o-mini").input);
    assertEquals(0, t.find("ollama", "llama3").output);
    assertEquals("2026-11-01", t.taken());
    assertThrows(IllegalArgumentException.class, () -> PriceTable.withOverrides(PriceTable.bundled(),
        "{\"prices\": [{\"provider\": \"openai\", \"model\": \"x\", \"input\": -1}]}"));
  }

  @Test
  void registryMatchesFingerprintsThenPatterns() {
    PromptRegistry r = PromptRegistry.parse("{\"prompts\": [{\"fingerprint\": \"abc\", \"name\": \"a\", \"version\": 3},"
        + "{\"system_pattern\": \"^You are a billing\", \"name\": \"billing\", \"version\": \"2.1\"}]}");
    assertEquals("3", r.lookup("abc", null)[1]);
    assertEquals("billing", r.lookup("zzz", "You are a billing assistant")[0]);
    assertNull(r.lookup("zzz", "You are a pirate"));
    assertThrows(IllegalArgumentException.class, () -> PromptRegistry.parse("{\"prompts\": [{\"name\": \"x\"}]}"));
  }

  @Test
  void rollingWindowForgetsOldSpend() {
    RollingSum minute = RollingSum.minute();
    minute.add(1_000, 2.0);
    minute.add(30_000, 1.0);
    assertEquals(3.0, minute.sum(30_500));
    assertEquals(1.0, minute.sum(61_500), "the first second fell out of the window");
    assertEquals(0.0, minute.sum(200_000));
  }

  @Test
  void policyEngineRefusesInEnforceAndOnlyRecordsInMonitor() {
    PolicySettings s = new PolicySettings();
    s.loopGuardMode = PolicySettings.Mode.ENFORCE;
    s.maxRepeats = 2;
    s.rateLimitMode = PolicySettings.Mode.MONITOR;
    s.callsPerMinute = 1;
    PolicyEngine engine = new PolicyEngine(s);
    for (int i = 1; i <= 3; i++) {
      LlmCall c = call("sys", "same");
      c.governance().traceId("t1");
      c.governance().requestHash("h");
      engine.beforeCall(c, 10_000);
      if (i == 1) assertTrue(c.governance().policyDecisions().isEmpty());
      if (i == 2) {
        assertNull(c.governance().refusal());
        assertEquals("would_refuse", c.governance().policyDecisions().get(0).decision, "rate limit is monitored");
      }
      if (i == 3) {
        PolicyDecision refusal = c.governance().refusal();
        assertEquals("loop_guard", refusal.policy);
        assertEquals(PolicyDecision.Kind.INVALID_REQUEST, refusal.kind);
        assertTrue(refusal.exceptionMessage().contains("max_repeats 2"));
      }
    }
  }

  @Test
  void costCapCountsSpendAtTheEndAndRefusesAfter() {
    PolicySettings s = new PolicySettings();
    s.costMode = PolicySettings.Mode.ENFORCE;
    s.processCaps.perHour = 1.0;
    PolicyEngine engine = new PolicyEngine(s);
    LlmCall first = call("s", "u");
    engine.beforeCall(first, 0);
    assertNull(first.governance().refusal());
    first.governance().costUsd(1.5);
    engine.afterCall(first, 1, 0);
    LlmCall second = call("s", "u");
    engine.beforeCall(second, 2);
    assertEquals("cost", second.governance().refusal().policy);
    assertEquals(PolicyDecision.Kind.RATE_LIMITED, second.governance().refusal().kind);
  }

  @Test
  void perTraceBudgetStopsOneAgentRunAndLeavesOthersAlone() {
    PolicySettings s = new PolicySettings();
    s.costMode = PolicySettings.Mode.ENFORCE;
    s.perTraceUsd = 0.5;
    PolicyEngine engine = new PolicyEngine(s);
    LlmCall first = call("s", "u");
    first.governance().traceId("run-1");
    engine.beforeCall(first, 0);
    first.governance().costUsd(0.6);
    engine.afterCall(first, 1, 0);
    LlmCall second = call("s", "u");
    second.governance().traceId("run-1");
    engine.beforeCall(second, 2);
    assertEquals("cost", second.governance().refusal().policy);
    assertTrue(second.governance().refusal().message.contains("per trace"), second.governance().refusal().message);
    LlmCall otherRun = call("s", "u");
    otherRun.governance().traceId("run-2");
    engine.beforeCall(otherRun, 3);
    assertNull(otherRun.governance().refusal());
  }

  @Test
  void openAiModelsAreCountedWithTheirOwnTokenizerOthersEstimated() {
    LlmCall call = call("You are terse.", "Hello world");
    // o200k: "You are terse." = 4 tokens, "Hello world" = 2, "user" = 1; 3 per message, 3 to prime the reply.
    assertEquals(3 + (3 + 4) + (3 + 1 + 2), Tokenizers.countInputTokens(call));
    assertEquals(com.knuddels.jtokkit.api.EncodingType.O200K_BASE, Tokenizers.encodingFor("openai", "gpt-4o-mini-2024-07-18"));
    assertEquals(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE, Tokenizers.encodingFor("openai", "gpt-4-turbo"));
    assertNull(Tokenizers.encodingFor("anthropic", "claude-sonnet-4"));
    LlmCall claude = new LlmCall("anthropic", "chat").request().requestModel("claude-sonnet-4").call();
    claude.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("12345678")));
    assertEquals(Fingerprints.estimateInputTokens(claude), Tokenizers.countInputTokens(claude));
    // A short call cannot exceed a large limit: no tokenizer pass needed.
    assertTrue(!Tokenizers.mayExceed(call, 1000) && Tokenizers.mayExceed(call, 10));
  }

  @Test
  void jsonReaderIsStrictAndSaysWhere() {
    Map<?, ?> m = (Map<?, ?>) Json.parse("{\"a\": [1, 2.5, \"x\\u00e9\", true, null], \"b\": {}}");
    assertEquals(2.5, ((List<?>) m.get("a")).get(1));
    assertEquals("xé", ((List<?>) m.get("a")).get(2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\n\"a\": 1,}"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
  }
}
