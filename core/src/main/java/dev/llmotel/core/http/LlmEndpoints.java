package dev.llmotel.core.http;

import dev.llmotel.core.ConfigProblems;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.semconv.GenAiValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which plain HTTP requests are LLM calls. Built in: the OpenAI-style paths on any host (OpenAI,
 * Azure OpenAI, vLLM, Ollama, LM Studio, Together and every other compatible server), Anthropic's
 * Messages API and Gemini's generateContent; the provider comes from the host where it is known,
 * else it is the format's family. Operators add their own endpoints with
 * {@value #ENDPOINTS_KEY}: {@code host[:port]/path-regex=provider:format}, comma-separated, checked
 * before the built-in ones.
 */
public final class LlmEndpoints {
  public static final String ENABLED_KEY = "otel.instrumentation.llm-otel.http.enabled";
  public static final String ENDPOINTS_KEY = "otel.instrumentation.llm-otel.http.endpoints";

  private static final Pattern GEMINI_PATH =
      Pattern.compile(".*/models/([^/:]+):(generateContent|streamGenerateContent)$");
  private static final Pattern AZURE_DEPLOYMENT = Pattern.compile(".*/openai/deployments/([^/]+)/.*");
  private static final java.util.logging.Logger LOGGER = java.util.logging.Logger.getLogger(LlmEndpoints.class.getName());
  private static final LlmEndpoints INSTANCE = load();

  private final boolean enabled;
  private final List<Custom> custom;

  LlmEndpoints(boolean enabled, List<Custom> custom) {
    this.enabled = enabled;
    this.custom = custom;
  }

  public static LlmEndpoints get() {
    return INSTANCE;
  }

  static LlmEndpoints load() {
    boolean enabled = LlmOtelConfig.readBoolean(ENABLED_KEY, true);
    String raw = LlmOtelConfig.raw(ENDPOINTS_KEY);
    return new LlmEndpoints(enabled, raw == null ? Collections.<Custom>emptyList() : parse(raw));
  }

  /** Parses the endpoints setting; an invalid entry is one startup line and is skipped. */
  static List<Custom> parse(String raw) {
    List<Custom> out = new ArrayList<>();
    for (String entry : raw.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) continue;
      try {
        int eq = e.lastIndexOf('=');
        int slash = e.indexOf('/');
        int colon = e.indexOf(':', eq);
        if (eq < 0 || slash < 0 || slash > eq || colon < 0) throw new IllegalArgumentException("expected host/path=provider:format");
        WireFormat format = format(e.substring(colon + 1).trim());
        if (format == null) throw new IllegalArgumentException("unknown format " + e.substring(colon + 1).trim()
            + " (openai-chat, openai-completions, openai-embeddings, openai-responses, anthropic-messages, gemini)");
        String hostPort = e.substring(0, slash).toLowerCase(Locale.ROOT);
        out.add(new Custom(hostPort, Pattern.compile(e.substring(slash, eq)), e.substring(eq + 1, colon).trim(), format));
      } catch (RuntimeException ex) {
        ConfigProblems.report(LOGGER, "llm-otel: {0}: entry ''{1}'' skipped: {2}", ENDPOINTS_KEY, e, ex.getMessage());
      }
    }
    return out;
  }

  static WireFormat format(String name) {
    switch (name) {
      case "openai-chat":
      case "openai-completions":
        return OpenAiChatWire.INSTANCE;
      case "openai-embeddings":
        return OpenAiEmbeddingsWire.INSTANCE;
      case "openai-responses":
        return OpenAiResponsesWire.INSTANCE;
      case "anthropic-messages":
        return AnthropicMessagesWire.INSTANCE;
      case "gemini":
        return GeminiWire.INSTANCE;
      default:
        return null;
    }
  }

  /** The endpoint a POST to this URL is, or null when it is not an LLM call. */
  public LlmEndpoint match(String host, int port, String path) {
    if (!enabled || host == null || path == null) return null;
    String h = host.toLowerCase(Locale.ROOT);
    for (Custom c : custom) {
      if ((c.hostPort.equals(h) || c.hostPort.equals(h + ":" + port)) && c.path.matcher(path).matches()) {
        return new LlmEndpoint(c.provider, c.format, null);
      }
    }
    // The patterns only where a cheap test says they may match: every request of an HTTP client comes here.
    Matcher gemini = path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent")
        ? GEMINI_PATH.matcher(path) : null;
    if (gemini != null && gemini.matches()) {
      String provider = h.endsWith("aiplatform.googleapis.com") ? GenAiValues.PROVIDER_GCP_VERTEX_AI : GenAiValues.PROVIDER_GCP_GEMINI;
      return new LlmEndpoint(provider, GeminiWire.INSTANCE, gemini.group(1));
    }
    if (path.endsWith("/v1/messages")) return new LlmEndpoint(GenAiValues.PROVIDER_ANTHROPIC, AnthropicMessagesWire.INSTANCE, null);
    WireFormat format = null;
    if (path.endsWith("/chat/completions") || path.endsWith("/completions")) format = OpenAiChatWire.INSTANCE;
    else if (path.endsWith("/embeddings")) format = OpenAiEmbeddingsWire.INSTANCE;
    // "/responses" alone is too common a path; the API's own prefixes only.
    else if (path.endsWith("/v1/responses") || path.endsWith("/openai/responses")) format = OpenAiResponsesWire.INSTANCE;
    if (format == null) return null;
    Matcher azure = path.contains("/openai/deployments/") ? AZURE_DEPLOYMENT.matcher(path) : null;
    return new LlmEndpoint(openAiProvider(h), format, azure != null && azure.matches() ? azure.group(1) : null);
  }

  /** The provider behind an OpenAI-style API, by host; compatible servers elsewhere are the openai family. */
  static String openAiProvider(String host) {
    if (host.endsWith(".openai.azure.com") || host.endsWith(".cognitiveservices.azure.com")) {
      return GenAiValues.PROVIDER_AZURE_OPENAI;
    }
    if (host.equals("api.deepseek.com")) return "deepseek";
    if (host.equals("api.groq.com")) return "groq";
    if (host.equals("api.mistral.ai")) return "mistral_ai";
    if (host.equals("api.x.ai")) return "x_ai";
    if (host.equals("api.perplexity.ai")) return "perplexity";
    return GenAiValues.PROVIDER_OPENAI;
  }

  static final class Custom {
    final String hostPort;
    final Pattern path;
    final String provider;
    final WireFormat format;

    Custom(String hostPort, Pattern path, String provider, WireFormat format) {
      this.hostPort = hostPort;
      this.path = path;
      this.provider = provider;
      this.format = format;
    }
  }
}
