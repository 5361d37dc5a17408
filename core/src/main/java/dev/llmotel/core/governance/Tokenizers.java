package dev.llmotel.core.governance;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts input tokens before a request leaves the process, for the input-token policy: with
 * OpenAI's own tokenizer (jtokkit) for OpenAI models, with the estimate of {@link Fingerprints}
 * for every other model. A vocabulary is loaded on first use only (o200k about 30 MB of heap), so a
 * process that does not enable the policy never pays for it.
 */
final class Tokenizers {
  private static final Logger logger = Logger.getLogger(Tokenizers.class.getName());
  // OpenAI's chat format adds a few tokens per message and to prime the reply.
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_REPLY = 3;

  private static volatile EncodingRegistry registry;
  private static volatile boolean unavailable;

  /**
   * Whether the call's input may exceed the limit. A token covers at least one UTF-8 byte and a
   * char is at most three, so a call whose characters times three (plus message overhead) stay
   * within the limit is under it for sure, and the tokenizer pass (tens of microseconds) is skipped.
   */
  static boolean mayExceed(LlmCall call, long limit) {
    long chars = Fingerprints.inputCharacters(call);
    long messages = call.inputMessages().size() + 1;
    return 3 * chars + (TOKENS_PER_MESSAGE + 2) * messages + TOKENS_PER_REPLY > limit;
  }

  /** Input tokens of the call, counted with the model's tokenizer when one is known, else estimated. */
  static long countInputTokens(LlmCall call) {
    EncodingType type = encodingFor(call.provider(), call.requestModel());
    if (type == null || unavailable) return Fingerprints.estimateInputTokens(call);
    try {
      Encoding encoding = registry().getEncoding(type);
      long tokens = TOKENS_PER_REPLY;
      if (!call.systemInstructions().isEmpty()) {
        tokens += TOKENS_PER_MESSAGE;
        for (LlmMessage.Part p : call.systemInstructions()) tokens += count(encoding, p.content);
      }
      for (LlmMessage m : call.inputMessages()) {
        tokens += TOKENS_PER_MESSAGE + count(encoding, m.role());
        for (LlmMessage.Part p : m.parts()) {
          tokens += count(encoding, p.content) + count(encoding, p.name) + count(encoding, p.arguments);
        }
      }
      for (ToolDefinition t : call.toolDefinitions()) {
        tokens += count(encoding, t.name) + count(encoding, t.description) + count(encoding, t.parametersJson);
      }
      return tokens;
    } catch (RuntimeException | LinkageError e) {
      unavailable = true;
      logger.log(Level.WARNING, "llm-otel: the OpenAI tokenizer could not be loaded; input tokens are "
          + "estimated from characters instead", e);
      return Fingerprints.estimateInputTokens(call);
    }
  }

  /** Which vocabulary an OpenAI model uses; null for models we have no tokenizer for. */
  static EncodingType encodingFor(String provider, String model) {
    if (model == null || !("openai".equals(provider) || "azure.ai.openai".equals(provider))) return null;
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5") || m.startsWith("gpt-5")
        || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4") || m.startsWith("chatgpt-4o")) {
      return EncodingType.O200K_BASE;
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("text-embedding-")) {
      return EncodingType.CL100K_BASE;
    }
    return null;
  }

  private static long count(Encoding encoding, String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  private static EncodingRegistry registry() {
    EncodingRegistry r = registry;
    if (r == null) {
      synchronized (Tokenizers.class) {
        r = registry;
        if (r == null) {
          r = Encodings.newLazyEncodingRegistry();
          registry = r;
        }
      }
    }
    return r;
  }

  private Tokenizers() {}
}
