package dev.llmotel.core.governance;

import dev.llmotel.core.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * USD prices per million tokens by provider and model. The bundled table is a snapshot taken from
 * the providers' public price lists on {@link #BUNDLED_DATE}; prices change, so operators override
 * or extend it with a JSON file of the same shape:
 * <pre>{"taken": "2026-11-01", "prices": [
 *   {"provider": "openai", "model": "gpt-4o-mini", "input": 0.15, "output": 0.60,
 *    "cache_read": 0.075, "cache_creation": 0}]}</pre>
 * A dated snapshot (gpt-4o-mini-2024-07-18, claude-sonnet-4-20250514) or a numbered stable
 * version (gemini-2.0-flash-001) resolves to its family.
 */
public final class PriceTable {
  public static final String BUNDLED_DATE = "2025-08-01";

  private static final Pattern DATED_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{3}|latest)$");

  /** A Bedrock cross-region inference profile's prefix (us., eu., apac., global., ...). */
  private static final Pattern BEDROCK_PROFILE = Pattern.compile("^(us|eu|apac|global|us-gov|jp|au|ca)\\.");
  /** A Bedrock model id's version (-v1:0, -v2:0, :0). */
  private static final Pattern BEDROCK_VERSION = Pattern.compile("(-v\\d+)?(:\\d+)?$");

  private static final Price NONE = new Price(0, 0, 0, 0);

  private final Map<String, Price> prices = new HashMap<>();
  // Lookups as asked (dated snapshot names included), so the suffix regex runs once per model name.
  private final Map<String, Price> resolved = new java.util.concurrent.ConcurrentHashMap<>();
  private final String taken;

  private PriceTable(String taken) {
    this.taken = taken;
  }

  public String taken() {
    return taken;
  }

  static PriceTable bundled() {
    PriceTable t = new PriceTable(BUNDLED_DATE);
    t.put("openai", "gpt-4o", 2.50, 10.00, 1.25, 0);
    t.put("openai", "gpt-4o-mini", 0.15, 0.60, 0.075, 0);
    t.put("openai", "gpt-4.1", 2.00, 8.00, 0.50, 0);
    t.put("openai", "gpt-4.1-mini", 0.40, 1.60, 0.10, 0);
    t.put("openai", "gpt-4.1-nano", 0.10, 0.40, 0.025, 0);
    t.put("openai", "gpt-5", 1.25, 10.00, 0.125, 0);
    t.put("openai", "gpt-5-mini", 0.25, 2.00, 0.025, 0);
    t.put("openai", "gpt-5-nano", 0.05, 0.40, 0.005, 0);
    t.put("openai", "o3", 2.00, 8.00, 0.50, 0);
    t.put("openai", "o3-mini", 1.10, 4.40, 0.55, 0);
    t.put("openai", "o4-mini", 1.10, 4.40, 0.275, 0);
    t.put("openai", "gpt-3.5-turbo", 0.50, 1.50, 0, 0);
    t.put("openai", "text-embedding-3-small", 0.02, 0, 0, 0);
    t.put("openai", "text-embedding-3-large", 0.13, 0, 0, 0);
    t.put("openai", "text-embedding-ada-002", 0.10, 0, 0, 0);
    t.put("anthropic", "claude-opus-4", 15.00, 75.00, 1.50, 18.75);
    t.put("anthropic", "claude-opus-4-1", 15.00, 75.00, 1.50, 18.75);
    t.put("anthropic", "claude-sonnet-4", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-3-7-sonnet", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00);
    t.put("gcp.gemini", "gemini-2.5-pro", 1.25, 10.00, 0.31, 0);
    t.put("gcp.gemini", "gemini-2.5-flash", 0.30, 2.50, 0.075, 0);
    t.put("gcp.gemini", "gemini-2.0-flash", 0.10, 0.40, 0.025, 0);
    // Bedrock model ids name the vendor, version and region profile (us.anthropic.claude-3-haiku-20240307-v1:0):
    // they are priced by their family (anthropic.claude-3-haiku), see find().
    t.put("aws.bedrock", "anthropic.claude-3-haiku", 0.25, 1.25, 0.03, 0.30);
    t.put("aws.bedrock", "anthropic.claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00);
    t.put("aws.bedrock", "anthropic.claude-3-7-sonnet", 3.00, 15.00, 0.30, 3.75);
    t.put("aws.bedrock", "anthropic.claude-sonnet-4", 3.00, 15.00, 0.30, 3.75);
    t.put("aws.bedrock", "amazon.nova-micro", 0.035, 0.14, 0.00875, 0);
    t.put("aws.bedrock", "amazon.nova-lite", 0.06, 0.24, 0.015, 0);
    t.put("aws.bedrock", "amazon.nova-pro", 0.80, 3.20, 0.20, 0);
    t.put("aws.bedrock", "amazon.titan-embed-text", 0.02, 0, 0, 0);
    // Azure OpenAI and Vertex AI price their models like the model's maker.
    t.alias("azure.ai.openai", "openai");
    t.alias("gcp.vertex_ai", "gcp.gemini");
    return t;
  }

  /** The bundled table with a file's entries on top (a file entry replaces the bundled one). */
  static PriceTable withOverrides(PriceTable base, String json) {
    Object root = Json.parse(json);
    if (!(root instanceof Map)) throw new IllegalArgumentException("the top level must be an object");
    Map<?, ?> m = (Map<?, ?>) root;
    Object list = m.get("prices");
    if (!(list instanceof List)) throw new IllegalArgumentException("\"prices\" must be an array");
    PriceTable t = new PriceTable(m.get("taken") == null ? base.taken : m.get("taken").toString());
    t.prices.putAll(base.prices);
    for (Object o : (List<?>) list) {
      if (!(o instanceof Map)) throw new IllegalArgumentException("each price must be an object");
      Map<?, ?> p = (Map<?, ?>) o;
      if (!(p.get("provider") instanceof String) || !(p.get("model") instanceof String)) {
        throw new IllegalArgumentException("each price needs string \"provider\" and \"model\"");
      }
      t.put((String) p.get("provider"), (String) p.get("model"), number(p, "input"), number(p, "output"),
          number(p, "cache_read"), number(p, "cache_creation"));
    }
    return t;
  }

  private static double number(Map<?, ?> p, String key) {
    Object v = p.get(key);
    if (v == null) return 0;
    if (!(v instanceof Double) || (Double) v < 0) {
      throw new IllegalArgumentException("\"" + key + "\" of " + p.get("model") + " must be a number >= 0");
    }
    return (Double) v;
  }

  private void put(String provider, String model, double in, double out, double cacheRead, double cacheCreation) {
    prices.put(key(provider, model), new Price(in, out, cacheRead, cacheCreation));
  }

  private void alias(String provider, String sameAs) {
    Map<String, Price> copies = new HashMap<>();
    for (Map.Entry<String, Price> e : prices.entrySet()) {
      if (e.getKey().startsWith(sameAs + "/")) {
        copies.put(provider + e.getKey().substring(sameAs.length()), e.getValue());
      }
    }
    prices.putAll(copies);
  }

  private static String key(String provider, String model) {
    return provider + "/" + model.toLowerCase(Locale.ROOT);
  }

  /** The price of a model, trying the exact name, then its family without a date suffix. */
  Price find(String provider, String model) {
    if (provider == null || model == null) return null;
    String lookupKey = provider + "/" + model;
    Price cached = resolved.get(lookupKey);
    if (cached != null) return cached == NONE ? null : cached;
    Price p = prices.get(key(provider, model));
    if (p == null) {
      String family = DATED_SUFFIX.matcher(model.toLowerCase(Locale.ROOT)).replaceFirst("");
      p = prices.get(key(provider, family));
    }
    if (p == null && model.indexOf('.') > 0) {
      String bedrock = BEDROCK_VERSION.matcher(BEDROCK_PROFILE.matcher(model.toLowerCase(Locale.ROOT)).replaceFirst(""))
          .replaceFirst("");
      p = prices.get(key(provider, DATED_SUFFIX.matcher(bedrock).replaceFirst("")));
    }
    if (resolved.size() < 10_000) resolved.put(lookupKey, p == null ? NONE : p);
    return p;
  }

  /** Prices in USD per million tokens. */
  static final class Price {
    final double input;
    final double output;
    final double cacheRead;
    final double cacheCreation;

    Price(double input, double output, double cacheRead, double cacheCreation) {
      this.input = input;
      this.output = output;
      this.cacheRead = cacheRead;
      this.cacheCreation = cacheCreation;
    }

    /**
     * Cost of a call. gen_ai.usage.input_tokens includes cached tokens (the semconv rule), so the
     * cache reads and writes are taken out of the input count and priced at their own rates.
     */
    double cost(long input, long output, long cacheRead, long cacheCreation) {
      long uncached = Math.max(0, input - cacheRead - cacheCreation);
      return (uncached * this.input + output * this.output + cacheRead * this.cacheRead
          + cacheCreation * this.cacheCreation) / 1_000_000d;
    }
  }
}
