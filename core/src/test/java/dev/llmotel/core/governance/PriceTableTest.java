package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PriceTableTest {

  private static final double EPS = 1e-12;
  private final PriceTable prices = PriceTable.bundled();

  private static void assertPrice(PriceTable.Price p, double in, double out, double cacheRead, double cacheWrite) {
    assertNotNull(p, "no price");
    assertEquals(in, p.input, EPS, "input");
    assertEquals(out, p.output, EPS, "output");
    assertEquals(cacheRead, p.cacheRead, EPS, "cache read");
    assertEquals(cacheWrite, p.cacheCreation, EPS, "cache write");
  }

  @Test
  void theBundledTableSaysWhenItWasTaken() {
    assertEquals("2026-12-01", PriceTable.BUNDLED_DATE);
    assertEquals(PriceTable.BUNDLED_DATE, prices.taken());
  }

  @Test
  void currentOpenAiModelsAndTheirSnapshots() {
    assertPrice(prices.find("openai", "gpt-6.2-sol"), 2.00, 10.00, 0.10, 2.50);
    assertPrice(prices.find("openai", "gpt-6.2-astra"), 8.00, 40.00, 0.40, 10.00);
    assertPrice(prices.find("openai", "gpt-6.1-sol-2026-09-29"), 2.00, 10.00, 0.10, 2.50);
    assertPrice(prices.find("openai", "gpt-6-luna"), 0.10, 0.50, 0.01, 0.125);
    assertPrice(prices.find("openai", "gpt-5.6-terra"), 2.00, 12.00, 0.20, 2.50);
    assertPrice(prices.find("openai", "gpt-5.6"), 4.00, 20.00, 0.40, 5.00);
    assertPrice(prices.find("openai", "gpt-5.6-sol"), 4.00, 20.00, 0.40, 5.00);
    assertPrice(prices.find("openai", "gpt-5.4-nano-2026-03-17"), 0.20, 1.25, 0.02, 0.20);
    assertPrice(prices.find("openai", "gpt-5.1"), 1.25, 10.00, 0.125, 1.25);
    assertPrice(prices.find("openai", "gpt-5-mini-2025-08-07"), 0.25, 2.00, 0.025, 0.25);
    assertPrice(prices.find("openai", "gpt-5-nano"), 0.05, 0.40, 0.005, 0.05);
    // The price the smoke tests and GovernanceUnitTest rely on.
    assertPrice(prices.find("openai", "gpt-4o-mini-2024-07-18"), 0.15, 0.60, 0.075, 0.15);
    assertPrice(prices.find("openai", "gpt-4.1-mini"), 0.40, 1.60, 0.10, 0.40);
    assertPrice(prices.find("openai", "o4-mini-2025-04-16"), 1.10, 4.40, 0.275, 1.10);
    assertEquals(0.02, prices.find("openai", "text-embedding-3-small").input, EPS);
    assertSame(prices.find("openai", "gpt-6.2-sol"), prices.find("azure.ai.openai", "gpt-6.2-sol"));
  }

  @Test
  void currentAnthropicModelsAndTheirSnapshots() {
    assertPrice(prices.find("anthropic", "claude-sonnet-4-5-20250929"), 3.00, 15.00, 0.30, 3.75);
    assertPrice(prices.find("anthropic", "claude-haiku-4-5-20251001"), 1.00, 5.00, 0.10, 1.25);
    assertPrice(prices.find("anthropic", "claude-opus-4-5-20251101"), 5.00, 25.00, 0.50, 6.25);
    assertPrice(prices.find("anthropic", "claude-opus-4-1-20250805"), 15.00, 75.00, 1.50, 18.75);
    assertPrice(prices.find("anthropic", "claude-opus-4-8"), 5.00, 25.00, 0.50, 6.25);
    assertPrice(prices.find("anthropic", "claude-opus-5-5"), 4.00, 20.00, 0.20, 5.00);
    assertPrice(prices.find("anthropic", "claude-sonnet-5-5"), 2.00, 10.00, 0.10, 2.50);
    assertPrice(prices.find("anthropic", "claude-sonnet-5"), 2.00, 10.00, 0.20, 2.50);
    assertPrice(prices.find("anthropic", "claude-haiku-5-5"), 0.10, 0.50, 0.01, 0.125);
    assertPrice(prices.find("anthropic", "claude-fable-5-2"), 8.00, 40.00, 0.20, 10.00);
    assertPrice(prices.find("anthropic", "claude-mythos-5-2"), 8.00, 40.00, 0.20, 10.00);
    assertPrice(prices.find("anthropic", "claude-3-5-haiku-latest"), 0.80, 4.00, 0.08, 1.00);
    // The price the Anthropic smoke tests rely on.
    assertPrice(prices.find("anthropic", "claude-sonnet-4-20250514"), 3.00, 15.00, 0.30, 3.75);
    assertNull(prices.find("anthropic", "claude-opus-9"));
  }

  @Test
  void geminiModelsUseTheShortPromptTierAndPreviewsResolveToTheirFamily() {
    assertPrice(prices.find("gcp.gemini", "gemini-2.5-flash-lite"), 0.10, 0.40, 0.01, 0.10);
    assertPrice(prices.find("gcp.gemini", "gemini-2.5-pro"), 1.25, 10.00, 0.125, 1.25);
    assertSame(prices.find("gcp.gemini", "gemini-2.5-flash"),
        prices.find("gcp.gemini", "gemini-2.5-flash-preview-09-2025"));
    assertSame(prices.find("gcp.gemini", "gemini-2.5-flash-lite"),
        prices.find("gcp.gemini", "gemini-2.5-flash-lite-preview-06-17"));
    assertPrice(prices.find("gcp.gemini", "gemini-3.1-pro-preview"), 2.00, 12.00, 0.20, 2.00);
    assertPrice(prices.find("gcp.gemini", "gemini-3.8-flash"), 0.75, 3.75, 0.075, 0.75);
    assertSame(prices.find("gcp.gemini", "gemini-2.0-flash"), prices.find("gcp.gemini", "gemini-2.0-flash-001"));
    assertSame(prices.find("gcp.gemini", "gemini-3.8-flash"), prices.find("gcp.vertex_ai", "gemini-3.8-flash"));
    // The price the Google GenAI smoke tests rely on.
    assertPrice(prices.find("gcp.gemini", "gemini-2.5-flash"), 0.30, 2.50, 0.03, 0.30);
  }

  @Test
  void bedrockIdsResolveThroughVersionDateAndRegionProfile() {
    PriceTable.Price sonnet = prices.find("aws.bedrock", "anthropic.claude-sonnet-4-5");
    assertPrice(sonnet, 3.30, 16.50, 0.33, 4.125);
    assertSame(sonnet, prices.find("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertSame(sonnet, prices.find("aws.bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"));
    assertSame(sonnet, prices.find("aws.bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0"));
    // A global. profile is 10% cheaper than a geographic one.
    assertPrice(prices.find("aws.bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        3.00, 15.00, 0.30, 3.75);
    assertPrice(prices.find("aws.bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0"), 1.10, 5.50, 0.11, 1.375);
    assertPrice(prices.find("aws.bedrock", "global.anthropic.claude-haiku-4-5-20251001-v1:0"), 1.00, 5.00, 0.10, 1.25);
    assertPrice(prices.find("aws.bedrock", "us.anthropic.claude-opus-4-8"), 5.50, 27.50, 0.55, 6.875);
    assertPrice(prices.find("aws.bedrock", "global.anthropic.claude-sonnet-5"), 2.00, 10.00, 0.20, 2.50);
    // Before Claude 4.5 every profile costs the same: the price the Bedrock smoke tests rely on.
    PriceTable.Price haiku = prices.find("aws.bedrock", "anthropic.claude-3-haiku");
    assertPrice(haiku, 0.25, 1.25, 0.03, 0.30);
    assertSame(haiku, prices.find("aws.bedrock", "us.anthropic.claude-3-haiku-20240307-v1:0"));
    assertSame(haiku, prices.find("aws.bedrock", "global.anthropic.claude-3-haiku-20240307-v1:0"));
    assertPrice(prices.find("aws.bedrock", "us.amazon.nova-2-lite-v1:0"), 0.30, 2.50, 0.075, 0.30);
    assertPrice(prices.find("aws.bedrock", "amazon.nova-pro-v1:0"), 0.80, 3.20, 0.20, 0.80);
    assertPrice(prices.find("aws.bedrock", "amazon.nova-premier-v1:0"), 2.50, 12.50, 2.50, 2.50);
    assertEquals(0.02, prices.find("aws.bedrock", "amazon.titan-embed-text-v2:0").input, EPS);
    assertNull(prices.find("aws.bedrock", "meta.llama-unknown-v1:0"));
  }

  @Test
  void aPriceFileWithoutCachePricesPricesCachedTokensAtItsInputPrice() {
    PriceTable t = PriceTable.withOverrides(prices, "{\"prices\": ["
        + "{\"provider\": \"openai\", \"model\": \"gpt-4o-mini\", \"input\": 1.0, \"output\": 2.0},"
        + "{\"provider\": \"acme\", \"model\": \"m\", \"input\": 0.5, \"output\": 1.5, \"cache_read\": null}]}");
    PriceTable.Price mini = t.find("openai", "gpt-4o-mini-2024-07-18");
    assertPrice(mini, 1.0, 2.0, 1.0, 1.0);
    assertPrice(t.find("acme", "m"), 0.5, 1.5, 0.5, 0.5);
    // 1,000 input of which 400 read from the cache and 100 written to it: never cheaper than uncached.
    assertEquals(1000 * 1.0 / 1e6, mini.cost(1000, 0, 400, 100), EPS);
    assertTrue(mini.cost(1000, 0, 400, 0) > 0);
    assertEquals(PriceTable.BUNDLED_DATE, t.taken(), "no \"taken\" keeps the bundled date");
  }

  @Test
  void cachePricesGivenInAPriceFileAreKeptZeroIncluded() {
    PriceTable t = PriceTable.withOverrides(prices, "{\"taken\": \"2026-12-05\", \"prices\": ["
        + "{\"provider\": \"ollama\", \"model\": \"llama3\", \"input\": 0.2, \"output\": 0.4,"
        + " \"cache_read\": 0, \"cache_creation\": 0},"
        + "{\"provider\": \"acme\", \"model\": \"m\", \"input\": 1.0, \"output\": 3.0, \"cache_read\": 0.1},"
        + "{\"provider\": \"acme\", \"model\": \"w\", \"input\": 1.0, \"output\": 3.0, \"cache_creation\": 1.25}]}");
    assertPrice(t.find("ollama", "llama3"), 0.2, 0.4, 0, 0);
    assertPrice(t.find("acme", "m"), 1.0, 3.0, 0.1, 1.0);
    assertPrice(t.find("acme", "w"), 1.0, 3.0, 1.0, 1.25);
    assertEquals(400 * 0.2 / 1e6, t.find("ollama", "llama3").cost(1000, 0, 400, 200), EPS);
    assertEquals("2026-12-05", t.taken());
    assertThrows(IllegalArgumentException.class, () -> PriceTable.withOverrides(prices,
        "{\"prices\": [{\"provider\": \"openai\", \"model\": \"x\", \"input\": 1, \"cache_read\": -1}]}"));
    assertThrows(IllegalArgumentException.class, () -> PriceTable.withOverrides(prices,
        "{\"prices\": [{\"provider\": \"openai\", \"model\": \"x\", \"input\": 1, \"cache_creation\": \"free\"}]}"));
  }

  @Test
  void aFileEntryReplacesTheBundledOneAndLeavesTheRest() {
    PriceTable t = PriceTable.withOverrides(prices, "{\"prices\": ["
        + "{\"provider\": \"anthropic\", \"model\": \"claude-sonnet-4-5\", \"input\": 4, \"output\": 16}]}");
    assertPrice(t.find("anthropic", "claude-sonnet-4-5-20250929"), 4, 16, 4, 4);
    assertPrice(prices.find("anthropic", "claude-sonnet-4-5-20250929"), 3.00, 15.00, 0.30, 3.75);
    assertSame(prices.find("openai", "gpt-6.2-sol"), t.find("openai", "gpt-6.2-sol"));
  }
}
