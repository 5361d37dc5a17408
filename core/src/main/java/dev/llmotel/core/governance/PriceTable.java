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
 *    "cache_read": 0.075, "cache_creation": 0.15}]}</pre>
 * A dated snapshot (gpt-4o-mini-2024-07-18, claude-sonnet-4-20250514), a numbered stable version
 * (gemini-2.0-flash-001) or a preview build (gemini-2.5-flash-preview-09-2025) resolves to its family.
 * A Bedrock model id resolves to its family without its version and region profile
 * (us.anthropic.claude-sonnet-4-5-20250929-v1:0 is anthropic.claude-sonnet-4-5), except where the
 * table prices the profile itself: {@code global.} profiles of Claude 4.5 and later are about 10%
 * cheaper on Bedrock than the geographic ({@code us.}, {@code eu.}, ...) and in-Region ones.
 *
 * <p>Cache prices: a cache read ({@code cache_read}) or cache write ({@code cache_creation}) price
 * that an entry does not give is the entry's input price, never zero: a cached token is never priced
 * cheaper than an uncached one unless a price says so. A price given explicitly, 0 included, is
 * kept as given. This holds for the bundled entries and for a price file's entries alike (a file
 * entry that names only input and output prices its cache reads and writes at its input price).
 *
 * <p>One price per model: where a provider prices long prompts higher (Gemini Pro above 200k
 * prompt tokens, Claude Haiku 5.5 above 100k, OpenAI GPT-5.6 and GPT-6 above 272k) the table holds
 * the short-prompt tier, and cache writes are the 5-minute (Anthropic) or 30-minute (OpenAI) ones.
 */
public final class PriceTable {
  /**
   * The newest date the bundled prices can be attributed to (the Anthropic rows were re-checked
   * against platform.claude.com on that date). Each provider's block in {@link #bundled()} says how
   * old its sources are.
   */
  public static final String BUNDLED_DATE = "2026-12-01";

  private static final Pattern DATED_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{3}|latest)$");
  /** A preview build of a model (gemini-3.1-pro-preview, gemini-2.5-flash-preview-09-2025). */
  private static final Pattern PREVIEW_SUFFIX = Pattern.compile("-preview(-\\d{2}-\\d{4}|-\\d{2}-\\d{2})?$");

  /** A Bedrock cross-region inference profile's prefix (us., eu., apac., global., ...). */
  private static final Pattern BEDROCK_PROFILE = Pattern.compile("^(us|eu|apac|global|us-gov|jp|au|ca)\\.");
  /** A Bedrock model id's version (-v1:0, -v2:0, :0). */
  private static final Pattern BEDROCK_VERSION = Pattern.compile("(-v\\d+)?(:\\d+)?$");

  private static final Price NONE = new Price(0, 0, 0, 0);
  private static final Price FREE = new Price(0, 0, 0, 0);
  private static final String IN_PROCESS = "in_process";

  private final Map<String, Price> prices = new HashMap<>();
  // Lookups as asked (dated snapshot names included), so the suffix regex runs once per model name.
  /** Prices found, by provider then model as the call named them: no key string built per call. */
  private final Map<String, Map<String, Price>> resolved = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger resolvedCount = new java.util.concurrent.atomic.AtomicInteger();
  private final String taken;

  private PriceTable(String taken) {
    this.taken = taken;
  }

  public String taken() {
    return taken;
  }

  static PriceTable bundled() {
    PriceTable t = new PriceTable(BUNDLED_DATE);
    // OpenAI, Standard tier (no Batch/Flex/Priority), prompts up to 272k tokens. Sources: the model pages
    // https://developers.openai.com/api/docs/models/<model> and https://developers.openai.com/api/docs/pricing
    // (GPT-6.2, released 2026-11-17, is the newest row; read as of 2026-11-18). OpenAI bills cache writes
    // only on GPT-5.6 and GPT-6 (1.25x input); older models write the cache at the input price.
    t.put("openai", "gpt-6.2-astra", 8.00, 40.00, 0.40, 10.00);
    t.put("openai", "gpt-6.2-sol", 2.00, 10.00, 0.10, 2.50);
    t.put("openai", "gpt-6.1-sol", 2.00, 10.00, 0.10, 2.50);
    t.put("openai", "gpt-6-astra", 10.00, 50.00, 1.00, 12.50);
    t.put("openai", "gpt-6-sol", 2.00, 10.00, 0.20, 2.50);
    t.put("openai", "gpt-6-luna", 0.10, 0.50, 0.01, 0.125);
    // GPT-5.6 Sol's $4/$20 is a promotional price OpenAI guaranteed "at least until 2026-11-21"; the list
    // price before it was $5/$30. The gpt-5.6 alias routes to Sol.
    t.put("openai", "gpt-5.6-sol", 4.00, 20.00, 0.40, 5.00);
    t.put("openai", "gpt-5.6", 4.00, 20.00, 0.40, 5.00);
    t.put("openai", "gpt-5.6-terra", 2.00, 12.00, 0.20, 2.50);
    t.put("openai", "gpt-5.6-luna", 0.20, 1.20, 0.02, 0.25);
    t.put("openai", "gpt-5.5", 5.00, 30.00, 0.50);
    t.put("openai", "gpt-5.4", 2.50, 15.00, 0.25);
    t.put("openai", "gpt-5.4-mini", 0.75, 4.50, 0.075);
    t.put("openai", "gpt-5.4-nano", 0.20, 1.25, 0.02);
    t.put("openai", "gpt-5.2", 1.75, 14.00, 0.175);
    t.put("openai", "gpt-5.1", 1.25, 10.00, 0.125);
    t.put("openai", "gpt-5", 1.25, 10.00, 0.125);
    t.put("openai", "gpt-5-mini", 0.25, 2.00, 0.025);
    t.put("openai", "gpt-5-nano", 0.05, 0.40, 0.005);
    // No longer on OpenAI's pricing page but still billable in the API, at their last published prices.
    t.put("openai", "gpt-4.1", 2.00, 8.00, 0.50);
    t.put("openai", "gpt-4.1-mini", 0.40, 1.60, 0.10);
    t.put("openai", "gpt-4.1-nano", 0.10, 0.40, 0.025);
    t.put("openai", "gpt-4o", 2.50, 10.00, 1.25);
    t.put("openai", "gpt-4o-mini", 0.15, 0.60, 0.075);
    t.put("openai", "o3", 2.00, 8.00, 0.50);
    t.put("openai", "o3-mini", 1.10, 4.40, 0.55);
    t.put("openai", "o4-mini", 1.10, 4.40, 0.275);
    t.put("openai", "gpt-3.5-turbo", 0.50, 1.50);
    t.put("openai", "text-embedding-3-small", 0.02, 0);
    t.put("openai", "text-embedding-3-large", 0.13, 0);
    t.put("openai", "text-embedding-ada-002", 0.10, 0);
    // Anthropic, https://platform.claude.com/docs/en/about-claude/pricing and the model pages
    // https://platform.claude.com/docs/en/models/<model>/overview, re-checked 2026-12-01. Cache write = 5-minute
    // write (1.25x input); the 1-hour write costs 2x input. Claude Haiku 5.5: the tier for prompts up to 100k
    // tokens (above it every price is 5x). Mythos is Fable's invitation-only twin at Fable's prices.
    t.put("anthropic", "claude-fable-5-2", 8.00, 40.00, 0.20, 10.00);
    t.put("anthropic", "claude-mythos-5-2", 8.00, 40.00, 0.20, 10.00);
    t.put("anthropic", "claude-fable-5-1", 10.00, 50.00, 0.25, 12.50);
    t.put("anthropic", "claude-mythos-5-1", 10.00, 50.00, 0.25, 12.50);
    t.put("anthropic", "claude-fable-5", 10.00, 50.00, 1.00, 12.50);
    t.put("anthropic", "claude-mythos-5", 10.00, 50.00, 1.00, 12.50);
    t.put("anthropic", "claude-opus-5-5", 4.00, 20.00, 0.20, 5.00);
    t.put("anthropic", "claude-opus-5", 5.00, 25.00, 0.50, 6.25);
    t.put("anthropic", "claude-opus-4-8", 5.00, 25.00, 0.50, 6.25);
    t.put("anthropic", "claude-opus-4-7", 5.00, 25.00, 0.50, 6.25);
    t.put("anthropic", "claude-opus-4-6", 5.00, 25.00, 0.50, 6.25);
    t.put("anthropic", "claude-opus-4-5", 5.00, 25.00, 0.50, 6.25);
    t.put("anthropic", "claude-opus-4-1", 15.00, 75.00, 1.50, 18.75);
    t.put("anthropic", "claude-opus-4", 15.00, 75.00, 1.50, 18.75);
    t.put("anthropic", "claude-opus-4-0", 15.00, 75.00, 1.50, 18.75);
    // Sonnet 5.5 cache reads were cut from $0.20 to $0.10 on 2026-10-07.
    t.put("anthropic", "claude-sonnet-5-5", 2.00, 10.00, 0.10, 2.50);
    t.put("anthropic", "claude-sonnet-5", 2.00, 10.00, 0.20, 2.50);
    t.put("anthropic", "claude-sonnet-4-6", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-sonnet-4-5", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-sonnet-4", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-sonnet-4-0", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-3-7-sonnet", 3.00, 15.00, 0.30, 3.75);
    t.put("anthropic", "claude-haiku-5-5", 0.10, 0.50, 0.01, 0.125);
    t.put("anthropic", "claude-haiku-4-5", 1.00, 5.00, 0.10, 1.25);
    t.put("anthropic", "claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00);
    t.put("anthropic", "claude-3-haiku", 0.25, 1.25, 0.03, 0.30);
    // Gemini Developer API, paid tier, https://ai.google.dev/gemini-api/docs/pricing as read 2026-10-07 (cache
    // reads as read 2026-08-24). Pro models: the tier for prompts up to 200k tokens (above it input and cache
    // double, output is 1.5x). Gemini bills no per-token cache write (cache storage is billed per hour, not
    // here), so writes are at the input price. Gemini 3.x cache reads are 10% of input.
    // Gemini 3.8 Flash: the half-price offer runs through 2026-12-31; from 2027-01-01 it is $1.50/$7.50.
    t.put("gcp.gemini", "gemini-3.8-flash", 0.75, 3.75, 0.075);
    t.put("gcp.gemini", "gemini-3.6-flash", 1.50, 7.50, 0.15);
    t.put("gcp.gemini", "gemini-3.5-flash", 1.50, 9.00, 0.15);
    t.put("gcp.gemini", "gemini-3.5-flash-lite", 0.30, 2.50, 0.03);
    t.put("gcp.gemini", "gemini-3.1-pro", 2.00, 12.00, 0.20);
    t.put("gcp.gemini", "gemini-3.1-flash-lite", 0.25, 1.50, 0.025);
    t.put("gcp.gemini", "gemini-2.5-pro", 1.25, 10.00, 0.125);
    t.put("gcp.gemini", "gemini-2.5-flash", 0.30, 2.50, 0.03);
    t.put("gcp.gemini", "gemini-2.5-flash-lite", 0.10, 0.40, 0.01);
    // Shut down 2026-06-01; kept so recorded traffic still prices.
    t.put("gcp.gemini", "gemini-2.0-flash", 0.10, 0.40, 0.025);
    t.put("gcp.gemini", "gemini-embedding-2", 0.20, 0);
    // Bedrock model ids name the vendor, version and region profile (us.anthropic.claude-3-haiku-20240307-v1:0):
    // they are priced by their family (anthropic.claude-3-haiku), see find(). On-demand, us-east-1, as verified
    // against https://aws.amazon.com/bedrock/pricing/ on 2026-10-05. Claude on Bedrock is priced like Anthropic's
    // API (cache write 1.25x, read 0.1x input); from Claude 4.5 on, geographic (us., eu., ...) and in-Region
    // calls cost 10% more than global. ones: the family row holds the geographic price, global.* the base one.
    t.put("aws.bedrock", "anthropic.claude-3-haiku", 0.25, 1.25, 0.03, 0.30);
    t.put("aws.bedrock", "anthropic.claude-3-5-haiku", 0.80, 4.00, 0.08, 1.00);
    t.put("aws.bedrock", "anthropic.claude-3-7-sonnet", 3.00, 15.00, 0.30, 3.75);
    t.put("aws.bedrock", "anthropic.claude-sonnet-4", 3.00, 15.00, 0.30, 3.75);
    t.put("aws.bedrock", "anthropic.claude-opus-4-1", 15.00, 75.00, 1.50, 18.75);
    t.bedrockClaude("claude-sonnet-5", 2.00, 10.00);
    t.bedrockClaude("claude-sonnet-4-6", 3.00, 15.00);
    t.bedrockClaude("claude-sonnet-4-5", 3.00, 15.00);
    t.bedrockClaude("claude-opus-4-8", 5.00, 25.00);
    t.bedrockClaude("claude-opus-4-7", 5.00, 25.00);
    t.bedrockClaude("claude-opus-4-6", 5.00, 25.00);
    t.bedrockClaude("claude-opus-4-5", 5.00, 25.00);
    t.bedrockClaude("claude-haiku-4-5", 1.00, 5.00);
    // Nova: cache reads 75% off input, cache writes not charged extra. Nova 2 Lite and Premier cache reads are
    // not published where these prices were read: Premier's default to the input price.
    t.put("aws.bedrock", "amazon.nova-micro", 0.035, 0.14, 0.00875);
    t.put("aws.bedrock", "amazon.nova-lite", 0.06, 0.24, 0.015);
    t.put("aws.bedrock", "amazon.nova-pro", 0.80, 3.20, 0.20);
    t.put("aws.bedrock", "amazon.nova-premier", 2.50, 12.50);
    t.put("aws.bedrock", "amazon.nova-2-lite", 0.30, 2.50, 0.075);
    t.put("aws.bedrock", "amazon.titan-embed-text", 0.02, 0);
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
      double input = number(p, "input", 0);
      // A cache price the file does not give is the input price (see the class comment), never 0.
      t.put((String) p.get("provider"), (String) p.get("model"), input, number(p, "output", 0),
          number(p, "cache_read", input), number(p, "cache_creation", input));
    }
    return t;
  }

  /** The price under key, or absent (missing or null) the given default. */
  private static double number(Map<?, ?> p, String key, double absent) {
    Object v = p.get(key);
    if (v == null) return absent;
    if (!(v instanceof Double) || (Double) v < 0) {
      throw new IllegalArgumentException("\"" + key + "\" of " + p.get("model") + " must be a number >= 0");
    }
    return (Double) v;
  }

  private void put(String provider, String model, double in, double out, double cacheRead, double cacheCreation) {
    prices.put(key(provider, model), new Price(in, out, cacheRead, cacheCreation));
  }

  /** A model that writes its cache at the input price. */
  private void put(String provider, String model, double in, double out, double cacheRead) {
    put(provider, model, in, out, cacheRead, in);
  }

  /** A model with no cache price of its own: cache reads and writes at the input price. */
  private void put(String provider, String model, double in, double out) {
    put(provider, model, in, out, in, in);
  }

  /**
   * Claude 4.5 or later on Bedrock: Anthropic's prices (cache read 0.1x, 5-minute write 1.25x input) for a
   * global. profile, 10% more for the model's geographic profiles and in-Region calls.
   */
  private void bedrockClaude(String model, double in, double out) {
    put("aws.bedrock", "global.anthropic." + model, in, out, micros(in * 0.1), micros(in * 1.25));
    double geo = 1.1;
    put("aws.bedrock", "anthropic." + model, micros(in * geo), micros(out * geo), micros(in * 0.1 * geo),
        micros(in * 1.25 * geo));
  }

  /** A derived price rounded to a millionth of a dollar, so 3.00 * 1.1 is 3.30 and not 3.3000000000000003. */
  private static double micros(double usd) {
    return Math.round(usd * 1_000_000d) / 1_000_000d;
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
  /**
   * The last model priced: a service calls one or two, and the model name read from a response is a new
   * String on every call, so the maps' lookups would hash it again each time; comparing it to the last
   * one finds it without. Replaced, never changed.
   */
  private volatile LastFound last;

  private static final class LastFound {
    final String provider;
    final String model;
    final Price price;

    LastFound(String provider, String model, Price price) {
      this.provider = provider;
      this.model = model;
      this.price = price;
    }
  }

  Price find(String provider, String model) {
    // A model run in the app's own process (GenAiValues.PROVIDER_IN_PROCESS) costs nothing: priced, at 0.
    if (IN_PROCESS.equals(provider)) return FREE;
    if (provider == null || model == null) return null;
    LastFound found = last;
    if (found != null && found.model.equals(model) && found.provider.equals(provider)) {
      return found.price == NONE ? null : found.price;
    }
    Map<String, Price> byModel = resolved.get(provider);
    Price cached = byModel == null ? null : byModel.get(model);
    if (cached != null) {
      last = new LastFound(provider, model, cached);
      return cached == NONE ? null : cached;
    }
    String lower = model.toLowerCase(Locale.ROOT);
    Price p = prices.get(key(provider, lower));
    if (p == null) p = prices.get(key(provider, family(lower)));
    if (p == null && lower.indexOf('.') > 0) {
      // A Bedrock id: without its version, first as its profile (global.anthropic.claude-...) is priced, then
      // without the profile.
      String bedrock = family(BEDROCK_VERSION.matcher(lower).replaceFirst(""));
      p = prices.get(key(provider, bedrock));
      if (p == null) p = prices.get(key(provider, BEDROCK_PROFILE.matcher(bedrock).replaceFirst("")));
    }
    if (resolvedCount.get() < 10_000) {
      if (byModel == null) byModel = resolved.computeIfAbsent(provider, k -> new java.util.concurrent.ConcurrentHashMap<>());
      if (byModel.put(model, p == null ? NONE : p) == null) resolvedCount.incrementAndGet();
    }
    return p;
  }

  /** A model name without its date, number or preview suffix. */
  private static String family(String lowerCaseModel) {
    String family = DATED_SUFFIX.matcher(lowerCaseModel).replaceFirst("");
    return PREVIEW_SUFFIX.matcher(family).replaceFirst("");
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
      return roundCost((uncached * this.input + output * this.output + cacheRead * this.cacheRead
          + cacheCreation * this.cacheCreation) / 1_000_000d);
    }
  }

  /** 10^0 .. 10^22: every one exactly a double. */
  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  /**
   * A cost rounded to 10 significant digits, so binary noise (1.4100000000000002e-05) does not reach
   * spans and metrics: 1.41e-05. Relative, so the cheapest call keeps its cost; what is dropped is at
   * most 5e-10 of the value, far below what a price means.
   */
  static double roundCost(double usd) {
    if (usd == 0 || Double.isNaN(usd) || Double.isInfinite(usd)) return usd;
    int shift = 9 - (int) Math.floor(Math.log10(Math.abs(usd)));
    if (shift >= 0 && shift < POWERS_OF_TEN.length) {
      // |usd| * 10^shift < 10^10: Math.round is exact there, and the one division rounds correctly.
      return Math.round(usd * POWERS_OF_TEN[shift]) / POWERS_OF_TEN[shift];
    }
    return new java.math.BigDecimal(usd).round(new java.math.MathContext(10)).doubleValue();
  }
}
