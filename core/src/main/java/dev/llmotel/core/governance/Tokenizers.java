package dev.llmotel.core.governance;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Counts input tokens before a request leaves the process, for the input-token and cost policies:
 * with OpenAI's own tokenizer (jtokkit) for OpenAI models, with the estimate of {@link Fingerprints}
 * for every other model. Media parts count by {@link MediaTokens} either way.
 *
 * <p>A vocabulary (o200k: a 3.6 MB file, about 30 MB of heap, around a second to load) is never
 * loaded on an application thread: {@link #prepare()} (called when a policy that needs token counts
 * is on) or the first call that needs one starts loading it on a daemon thread named
 * {@value #THREAD_NAME}; until it is ready, {@link #inputTokensNow} answers with the documented
 * estimate ({@link Fingerprints#estimateInputTokens}: four characters a token plus four tokens per
 * message plus media). A process that enables no such policy never loads a vocabulary.
 */
final class Tokenizers {
  private static final Logger logger = Logger.getLogger(Tokenizers.class.getName());
  static final String THREAD_NAME = "llm-otel-tokenizer";
  // OpenAI's chat format adds a few tokens per message and to prime the reply.
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_REPLY = 3;

  private static final Map<EncodingType, Encoding> loaded = new ConcurrentHashMap<>();
  private static final Map<EncodingType, Object> loading = new ConcurrentHashMap<>();
  private static volatile EncodingRegistry registry;
  private static volatile boolean unavailable;
  /** Tests only: holds the loading thread back until counted down. */
  static volatile CountDownLatch loadGate;

  /**
   * Starts loading the vocabulary of current OpenAI models (o200k) in the background, once; returns
   * at once. The older cl100k is loaded the same way when a call first needs it.
   */
  static void prepare() {
    startLoading(EncodingType.O200K_BASE);
  }

  /**
   * The documented estimate of the tokens of text: about four characters a token (OpenAI's rule of
   * thumb for English; other providers' tokenizers are in the same range), rounded up.
   */
  static long estimateTextTokens(long characters) {
    return characters <= 0 ? 0 : (characters + 3) / 4;
  }

  /**
   * Input tokens of the call without waiting for anything: the tokenizer's count (plus media) when
   * the model's vocabulary is loaded, else {@link Fingerprints#estimateInputTokens} (and the
   * vocabulary starts loading in the background, for the calls after this one).
   */
  static long inputTokensNow(LlmCall call) {
    EncodingType type = encodingFor(call.provider(), call.request().requestModel());
    if (type == null || unavailable) return Fingerprints.estimateInputTokens(call);
    Encoding encoding = loaded.get(type);
    if (encoding == null) {
      startLoading(type);
      return Fingerprints.estimateInputTokens(call);
    }
    try {
      return count(encoding, call);
    } catch (RuntimeException | LinkageError e) {
      failed(e);
      return Fingerprints.estimateInputTokens(call);
    }
  }

  /**
   * Whether the call's input may exceed the limit, whichever way it is counted. A token covers at
   * least one UTF-8 byte and a char is at most three, so text whose characters times three (plus
   * message overhead) stay within the limit is under it by the tokenizer and by the estimate
   * (characters / 4) alike; media adds the same {@link MediaTokens} figure to both. Below that
   * bound, no count is needed (the tokenizer pass costs tens of microseconds).
   */
  static boolean mayExceed(LlmCall call, long limit) {
    long chars = Fingerprints.inputCharacters(call);
    long messages = call.request().inputMessages().size() + 1;
    return 3 * chars + (TOKENS_PER_MESSAGE + 2) * messages + TOKENS_PER_REPLY + MediaTokens.of(call) > limit;
  }

  /**
   * Input tokens of the call, counted with the model's tokenizer when one is known, else estimated.
   * Blocks while the vocabulary loads if it is not loaded yet: for tests and tools, never on an
   * application's thread (the policies use {@link #inputTokensNow}).
   */
  static long countInputTokens(LlmCall call) {
    EncodingType type = encodingFor(call.provider(), call.request().requestModel());
    if (type == null || unavailable) return Fingerprints.estimateInputTokens(call);
    try {
      Encoding encoding = load(type);
      if (encoding == null) return Fingerprints.estimateInputTokens(call);
      return count(encoding, call);
    } catch (RuntimeException | LinkageError e) {
      failed(e);
      return Fingerprints.estimateInputTokens(call);
    }
  }

  private static long count(Encoding encoding, LlmCall call) {
    long tokens = TOKENS_PER_REPLY;
    if (!call.request().systemInstructions().isEmpty()) {
      tokens += TOKENS_PER_MESSAGE;
      for (LlmMessage.Part p : call.request().systemInstructions()) {
        if (!p.isMedia()) tokens += count(encoding, p.content);
      }
    }
    for (LlmMessage m : call.request().inputMessages()) {
      tokens += TOKENS_PER_MESSAGE + count(encoding, m.role());
      for (LlmMessage.Part p : m.parts()) {
        if (!p.isMedia()) {
          tokens += count(encoding, p.content) + count(encoding, p.name) + count(encoding, p.arguments);
        }
      }
    }
    for (ToolDefinition t : call.request().toolDefinitions()) {
      tokens += count(encoding, t.name) + count(encoding, t.description) + count(encoding, t.parametersJson);
    }
    return tokens + MediaTokens.of(call);
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

  /** Whether the vocabulary is loaded, so {@link #inputTokensNow} counts with it. */
  static boolean isReady(EncodingType type) {
    return loaded.containsKey(type);
  }

  /** Whether loading the vocabulary has started (or it is loaded). */
  static boolean isStarted(EncodingType type) {
    return loading.containsKey(type) || loaded.containsKey(type);
  }

  /** Waits at most that long for the vocabulary (tests); true when it is loaded. */
  static boolean awaitReady(EncodingType type, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (!loaded.containsKey(type)) {
      if (unavailable || System.nanoTime() > deadline) return false;
      Thread.sleep(5);
    }
    return true;
  }

  private static long count(Encoding encoding, String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  /** Starts the background load of the vocabulary, once per vocabulary; never waits. */
  private static void startLoading(final EncodingType type) {
    if (unavailable || loaded.containsKey(type) || loading.putIfAbsent(type, new Object()) != null) return;
    try {
      Thread thread = new Thread(new Runnable() {
        @Override
        public void run() {
          try {
            CountDownLatch gate = loadGate;
            if (gate != null) gate.await();
            load(type);
          } catch (InterruptedException e) {
            loading.remove(type);
            Thread.currentThread().interrupt();
          } catch (Throwable e) {
            failed(e);
          }
        }
      }, THREAD_NAME);
      thread.setDaemon(true);
      // the app's context class loader is not needed (resources load through the tokenizer's class)
      thread.setContextClassLoader(Tokenizers.class.getClassLoader());
      thread.start();
    } catch (Throwable e) {
      loading.remove(type);
      failed(e);
    }
  }

  /** Loads the vocabulary on the calling thread, or waits for the thread loading it. */
  private static Encoding load(EncodingType type) {
    Encoding encoding = loaded.get(type);
    if (encoding != null) return encoding;
    Object lock = loading.get(type);
    if (lock == null) {
      loading.putIfAbsent(type, new Object());
      lock = loading.get(type);
    }
    synchronized (lock) {
      encoding = loaded.get(type);
      if (encoding == null && !unavailable) {
        encoding = registry().getEncoding(type);
        loaded.put(type, encoding);
      }
      return encoding;
    }
  }

  private static void failed(Throwable e) {
    if (unavailable) return;
    unavailable = true;
    logger.log(Level.WARNING, "llm-otel: the OpenAI tokenizer could not be loaded; input tokens are "
        + "estimated from characters instead", e);
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

  /** Tests only: forgets loaded vocabularies, so loading can be observed again. */
  static void resetForTests() {
    synchronized (Tokenizers.class) {
      loaded.clear();
      loading.clear();
      registry = null;
      unavailable = false;
    }
  }

  private Tokenizers() {}
}
