package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import java.util.Locale;

/**
 * Input tokens of the media parts of a request (images, audio, video, documents), estimated before
 * the request leaves the process. Providers do not count media in text tokens, so these rules are
 * added to every input-token figure (the estimate and the tokenizer count alike).
 *
 * <p><b>Images</b>, by the rule the provider publishes, on the pixel size when the request states it:
 * <ul>
 *   <li>OpenAI (and Azure OpenAI): high detail (what {@code auto} picks for all but small images, and
 *       the larger of the two): the image is scaled to fit in 2048&times;2048, then its shortest side
 *       to 768 px; 85 tokens plus 170 per 512&times;512 tile. ({@code detail: low} is 85 tokens; a
 *       request does not say it in a part, so high is assumed.)</li>
 *   <li>Anthropic (also Claude on Bedrock): the long edge is scaled to at most 1568 px, then
 *       width&times;height/750, at most 1,600 tokens.</li>
 *   <li>Gemini (and Vertex AI): 258 tokens when both sides are at most 384 px, else 258 per
 *       768&times;768 tile.</li>
 *   <li>Any other provider: Anthropic's rule (the highest of the three for a typical image).</li>
 * </ul>
 * An image of unknown pixel size (the usual case: requests rarely state it) counts as a
 * 1024&times;1024 image under the provider's rule: 765 tokens for OpenAI, 1,399 for Anthropic and
 * other providers, 1,032 for Gemini.
 *
 * <p><b>Audio</b>: 32 tokens per second (Gemini's published rate; OpenAI's audio models count fewer),
 * the duration taken from the size at 16 KB/s (128 kbit/s compressed audio): 1 token per 500 bytes.
 * <b>Video</b>: 263 tokens per second (Gemini's published rate, frames and sound), the duration
 * taken from the size at 125 KB/s (1 Mbit/s): 263 tokens per 125,000 bytes. Audio or video of unknown
 * size counts as one minute: 1,920 and 15,780 tokens.
 *
 * <p><b>Documents</b>: text formats ({@code text/*}, JSON, XML, CSV) at four bytes a token, like
 * text; PDF and other documents 1,500 tokens per 100,000 bytes (one page-equivalent of text and its
 * page image), at least 1,500. A document of unknown size counts as one page: 1,500 tokens.
 *
 * <p>These are estimates: they aim at the provider's count for typical media and err high where
 * the request does not say enough (pixel size, detail, duration).
 */
final class MediaTokens {
  static final long OPENAI_BASE = 85;
  static final long OPENAI_PER_TILE = 170;
  static final long GEMINI_PER_TILE = 258;
  static final int ASSUMED_IMAGE_SIDE = 1024;
  static final long AUDIO_BYTES_PER_TOKEN = 500;
  static final long VIDEO_TOKENS_PER_SECOND = 263;
  static final long VIDEO_BYTES_PER_SECOND = 125_000;
  static final long UNKNOWN_DURATION_SECONDS = 60;
  static final long AUDIO_TOKENS_PER_SECOND = 32;
  static final long DOCUMENT_PAGE_TOKENS = 1_500;
  static final long DOCUMENT_PAGE_BYTES = 100_000;

  enum ImageRule { OPENAI, ANTHROPIC, GEMINI }

  /** Tokens of every media part of the call's system instructions and input messages. */
  static long of(LlmCall call) {
    long tokens = 0;
    ImageRule rule = null;
    for (LlmMessage.Part p : call.request().systemInstructions()) {
      if (p.isMedia()) {
        if (rule == null) rule = ruleFor(call.provider(), call.request().requestModel());
        tokens += of(p, rule);
      }
    }
    for (LlmMessage m : call.request().inputMessages()) {
      for (LlmMessage.Part p : m.parts()) {
        if (p.isMedia()) {
          if (rule == null) rule = ruleFor(call.provider(), call.request().requestModel());
          tokens += of(p, rule);
        }
      }
    }
    return tokens;
  }

  static long of(LlmMessage.Part p, ImageRule rule) {
    String modality = p.modality;
    if (LlmMessage.Part.MODALITY_IMAGE.equals(modality)) return image(rule, p.width, p.height);
    if (LlmMessage.Part.MODALITY_AUDIO.equals(modality)) {
      return p.sizeBytes >= 0 ? ceilDiv(p.sizeBytes, AUDIO_BYTES_PER_TOKEN)
          : UNKNOWN_DURATION_SECONDS * AUDIO_TOKENS_PER_SECOND;
    }
    if (LlmMessage.Part.MODALITY_VIDEO.equals(modality)) {
      return p.sizeBytes >= 0 ? ceilDiv(p.sizeBytes * VIDEO_TOKENS_PER_SECOND, VIDEO_BYTES_PER_SECOND)
          : UNKNOWN_DURATION_SECONDS * VIDEO_TOKENS_PER_SECOND;
    }
    return document(p.mimeType, p.sizeBytes);
  }

  static long document(String mimeType, long sizeBytes) {
    if (sizeBytes < 0) return DOCUMENT_PAGE_TOKENS;
    if (isText(mimeType)) return ceilDiv(sizeBytes, 4);
    return Math.max(DOCUMENT_PAGE_TOKENS, ceilDiv(sizeBytes * DOCUMENT_PAGE_TOKENS, DOCUMENT_PAGE_BYTES));
  }

  private static boolean isText(String mimeType) {
    if (mimeType == null) return false;
    String t = mimeType.toLowerCase(Locale.ROOT);
    return t.startsWith("text/") || t.endsWith("/json") || t.endsWith("+json") || t.endsWith("/xml")
        || t.endsWith("+xml") || t.endsWith("/csv");
  }

  /** Tokens of one image under the rule; a side of 0 or less means the size is unknown. */
  static long image(ImageRule rule, int width, int height) {
    double w = width;
    double h = height;
    if (width <= 0 || height <= 0) {
      w = ASSUMED_IMAGE_SIDE;
      h = ASSUMED_IMAGE_SIDE;
    }
    switch (rule) {
      case OPENAI: {
        double fit = Math.min(1.0, 2048.0 / Math.max(w, h));
        w *= fit;
        h *= fit;
        double shortest = Math.min(w, h);
        if (shortest > 768) {
          w = w * 768 / shortest;
          h = h * 768 / shortest;
        }
        long tiles = (long) Math.ceil(w / 512) * (long) Math.ceil(h / 512);
        return OPENAI_BASE + OPENAI_PER_TILE * tiles;
      }
      case GEMINI: {
        if (w <= 384 && h <= 384) return GEMINI_PER_TILE;
        return GEMINI_PER_TILE * (long) Math.ceil(w / 768) * (long) Math.ceil(h / 768);
      }
      default: {
        double scale = Math.min(1.0, 1568.0 / Math.max(w, h));
        w *= scale;
        h *= scale;
        return Math.min(1_600L, (long) Math.ceil(w * h / 750));
      }
    }
  }

  static ImageRule ruleFor(String provider, String model) {
    String m = model == null ? "" : model.toLowerCase(Locale.ROOT);
    if ("openai".equals(provider) || "azure.ai.openai".equals(provider)) return ImageRule.OPENAI;
    if ("anthropic".equals(provider) || m.contains("claude")) return ImageRule.ANTHROPIC;
    if ((provider != null && provider.startsWith("gcp.")) || m.contains("gemini")) return ImageRule.GEMINI;
    if (m.startsWith("gpt-") || m.contains("/gpt-") || m.contains(".gpt-")) return ImageRule.OPENAI;
    return ImageRule.ANTHROPIC;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private MediaTokens() {}
}
