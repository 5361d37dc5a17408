package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.MediaParts;
import dev.llmotel.core.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashes that identify a prompt without holding its text. The fingerprint covers the template part
 * (system instructions and tool definitions) normalised so that what varies per request (numbers,
 * dates, ids, whitespace) does not change it; the request hash covers the whole request, media parts
 * by what identifies them (type, modality, MIME type, content hash, size, URI or file id).
 *
 * <p>Nothing here keeps request text: both hashes stream the text into a digest through a small
 * reused buffer (no copy of the prompt is made), and the one cache is keyed by a hash. Memory does
 * not grow with prompt size however many distinct prompts a process sends.
 */
public final class Fingerprints {

  /**
   * The template text with what varies per request replaced: numbers by {@code <n>}, dates and
   * times by {@code <date>}, words that mix digits with letters, '_' or '-' (ids, UUIDs, hashes) by
   * {@code <id>}; whitespace runs collapse to one space. One pass, no regex.
   */
  static String normalize(String text) {
    final StringBuilder out = new StringBuilder(text.length());
    normalize(text, new Sink() {
      @Override
      public void append(CharSequence s, int start, int end) {
        out.append(s, start, end);
      }
    });
    return out.toString();
  }

  /** Where normalised text goes: a builder (tests) or straight into a digest (every call). */
  interface Sink {
    void append(CharSequence s, int start, int end);
  }

  private static final String N = "<n>";
  private static final String DATE = "<date>";
  private static final String ID = "<id>";
  private static final String SPACE = " ";

  /**
   * Streams the normalised text into {@code out}. A whitespace run becomes one space only when
   * something follows it and something came before it (no leading or trailing space).
   */
  static void normalize(CharSequence text, Sink out) {
    int n = text.length();
    int i = 0;
    boolean wrote = false;
    boolean pendingSpace = false;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(text.charAt(i))) i++;
        if (wrote) pendingSpace = true;
        continue;
      }
      if (pendingSpace) {
        out.append(SPACE, 0, 1);
        pendingSpace = false;
      }
      wrote = true;
      if (!isWordChar(c)) {
        // a surrogate pair goes out whole, so the digest encodes it as one code point
        int len = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)) ? 2 : 1;
        out.append(text, i, i + len);
        i += len;
        continue;
      }
      int start = i;
      boolean digit = false;
      boolean other = false;
      while (i < n && isWordChar(text.charAt(i))) {
        char w = text.charAt(i);
        if (w >= '0' && w <= '9') digit = true; else other = true;
        i++;
      }
      if (!digit) {
        out.append(text, start, i);
      } else if (isDateAt(text, start)) {
        out.append(DATE, 0, DATE.length());
        i = start + 10;
        while (i < n && "0123456789:.TZ+-".indexOf(text.charAt(i)) >= 0) i++;
      } else if (!other) {
        out.append(N, 0, N.length());
        // a decimal or grouped number: 12.50, 1,000
        while (i + 1 < n && (text.charAt(i) == '.' || text.charAt(i) == ',') && isDigit(text.charAt(i + 1))) {
          i++;
          while (i < n && isDigit(text.charAt(i))) i++;
        }
      } else {
        out.append(ID, 0, ID.length());
      }
    }
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** yyyy-mm-dd at this position. */
  private static boolean isDateAt(CharSequence s, int i) {
    if (i + 10 > s.length()) return false;
    for (int k = 0; k < 10; k++) {
      char c = s.charAt(i + k);
      if (k == 4 || k == 7 ? c != '-' : !isDigit(c)) return false;
    }
    return true;
  }

  /**
   * The fingerprint of the call's template: the first 64 bits (hex) of the SHA-256 of
   * {@code system:<normalised text>\n} per system part and
   * {@code tool:<type>:<name>:<normalised description>:<parameters>\n} per tool, the normalised
   * text streamed into the digest as it is produced.
   *
   * <p>Apps mostly send the same template again, so results are cached, keyed by 128 bits of the
   * SHA-256 of the raw template (each piece prefixed by its length), never by its text: a hit costs
   * one streamed digest of the raw text instead of normalising it too. Bounded: the cache starts
   * afresh when full.
   *
   * <p>Null when there is no template to identify: an embeddings call, or a call with no system text
   * and no tool definitions (its fingerprint would be that of the empty string, shared by every such
   * call of every app).
   */
  public static String promptFingerprint(LlmCall call) {
    if (!hasTemplate(call)) return null;
    // The usual template is one system text the app passes as the same String object on every call (a
    // constant): found by identity, without reading the text at all.
    String onlyText = call.request().toolDefinitions().isEmpty() && call.request().systemInstructions().size() == 1
        ? call.request().systemInstructions().get(0).content : null;
    int slot = onlyText == null ? -1 : System.identityHashCode(onlyText) & (RECENT_TEMPLATES.length - 1);
    if (onlyText != null) {
      RecentTemplate recent = RECENT_TEMPLATES[slot];
      if (recent != null && recent.text.get() == onlyText) return recent.fingerprint;
    }
    String fingerprint = templateFingerprint(call);
    if (onlyText != null) RECENT_TEMPLATES[slot] = new RecentTemplate(onlyText, fingerprint);
    return fingerprint;
  }

  /**
   * Fingerprints of recently seen one-text templates by the text's identity. Entries are immutable and
   * replaced whole (a racing reader sees an old entry or a new one, and a miss only costs the lookup
   * below); the text is weakly held, so a large prompt made per call is not kept alive here.
   */
  private static final RecentTemplate[] RECENT_TEMPLATES = new RecentTemplate[64];

  private static final class RecentTemplate {
    final java.lang.ref.WeakReference<String> text;
    final String fingerprint;

    RecentTemplate(String text, String fingerprint) {
      this.text = new java.lang.ref.WeakReference<>(text);
      this.fingerprint = fingerprint;
    }
  }

  private static String templateFingerprint(LlmCall call) {
    Digest d = DIGEST.get();
    for (LlmMessage.Part part : call.request().systemInstructions()) {
      if (part.content != null) d.add("system:").addSized(part.content);
    }
    for (ToolDefinition tool : call.request().toolDefinitions()) {
      d.add("tool:").addSized(tool.type).addSized(tool.name).addSized(tool.description).addSized(tool.parametersJson);
    }
    TemplateKey key = d.finishKey();
    String cached = fingerprintByTemplate.get(key);
    if (cached != null) return cached;
    for (LlmMessage.Part part : call.request().systemInstructions()) {
      if (part.content == null) continue;
      d.add("system:");
      normalize(part.content, d);
      d.add('\n');
    }
    for (ToolDefinition tool : call.request().toolDefinitions()) {
      d.add("tool:").add(tool.type).add(':').add(tool.name).add(':');
      if (tool.description != null) normalize(tool.description, d);
      d.add(':').add(tool.parametersJson == null ? "" : tool.parametersJson).add('\n');
    }
    String fingerprint = d.finishHex();
    if (fingerprintByTemplate.size() >= MAX_CACHED_TEMPLATES) fingerprintByTemplate.clear();
    fingerprintByTemplate.put(key, fingerprint);
    return fingerprint;
  }

  /** Whether the call has a template: system text or tool definitions, and is not an embeddings call. */
  static boolean hasTemplate(LlmCall call) {
    if ("embeddings".equals(call.operation())) return false;
    if (!call.request().toolDefinitions().isEmpty()) return true;
    for (LlmMessage.Part part : call.request().systemInstructions()) {
      if (part.content != null) return true;
    }
    return false;
  }

  private static final int MAX_CACHED_TEMPLATES = 1024;
  /** Fingerprints by a 128-bit hash of the raw template: about 100 bytes an entry whatever the prompt's size. */
  private static final Map<TemplateKey, String> fingerprintByTemplate = new ConcurrentHashMap<>();

  /** 128 bits of a SHA-256. */
  static final class TemplateKey {
    final long high;
    final long low;

    TemplateKey(long high, long low) {
      this.high = high;
      this.low = low;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof TemplateKey && ((TemplateKey) o).high == high && ((TemplateKey) o).low == low;
    }

    @Override
    public int hashCode() {
      return (int) (low ^ (low >>> 32));
    }
  }

  static int cachedTemplates() {
    return fingerprintByTemplate.size();
  }

  /**
   * Hashes the request as it is, streaming its parts into a fast 64-bit hash ({@link TextHash}): no copy
   * of the prompt is made. It only tells requests apart (the loop guard's repeats, an app's retry), so it
   * needs no cryptographic strength, and reads a 400,000-character prompt in well under a millisecond.
   * A media part adds its modality, MIME type, content hash, size and pixel size to what a text part
   * hashes (its type and content, which is the URI or file id), so two requests that differ only in
   * an image or a document hash differently.
   */
  public static String requestHash(LlmCall call) {
    TextHash d = TEXT_HASH.get();
    d.reset();
    d.add(call.provider()).add('|').add(call.operation()).add('|').add(call.request().requestModel())
        .add('|').add(call.request().temperature()).add('|').add(call.request().topP()).add('|')
        .add(call.request().maxTokens()).add('|').add(call.request().seed()).add('|').add(call.request().stopSequences())
        .add('\n');
    for (LlmMessage.Part part : call.request().systemInstructions()) {
      d.add("system:").add(part.content);
      if (part.isMedia()) addMedia(d, part);
      d.add('\n');
    }
    for (LlmMessage m : call.request().inputMessages()) {
      d.add(m.role()).add(':');
      for (LlmMessage.Part p : m.parts()) {
        d.add(p.type).add('/').add(p.id).add('/').add(p.name).add('/')
            .add(p.arguments).add('/').add(p.content);
        if (p.isMedia()) addMedia(d, p);
        d.add(';');
      }
      d.add('\n');
    }
    for (ToolDefinition tool : call.request().toolDefinitions()) {
      d.add("tool:").add(tool.name).add(':').add(tool.parametersJson).add('\n');
    }
    return d.finishHex();
  }

  private static void addMedia(TextHash d, LlmMessage.Part p) {
    d.add("/media:").add(p.type).add('/').add(p.modality).add('/').add(p.mimeType).add('/')
        .add(p.contentHash).add('/').add(Long.toString(p.sizeBytes)).add('/')
        .add(Integer.toString(p.width)).add('x').add(Integer.toString(p.height));
  }

  /**
   * A 64-bit hash of text, not cryptographic: UTF-16 units four to a 64-bit word, words alternately
   * into two lanes (so that the multiplications of one do not wait for the other's), each lane a
   * multiply-xorshift round; the lanes and the length are mixed at the end. The same text gives the
   * same hash however it is split into pieces. Used where requests only need telling apart.
   */
  static final class TextHash implements Sink {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;
    private final char[] buffer = new char[1024];
    private long laneA;
    private long laneB;
    private long word;
    private int unitsInWord;
    private long words;
    private long units;

    void reset() {
      laneA = K1;
      laneB = K2;
      word = 0;
      unitsInWord = 0;
      words = 0;
      units = 0;
    }

    TextHash add(Object value) {
      return add(String.valueOf(value));
    }

    TextHash add(String s) {
      if (s == null) return add("null");
      append(s, 0, s.length());
      return this;
    }

    TextHash add(char c) {
      unit(c);
      return this;
    }

    @Override
    public void append(CharSequence s, int start, int end) {
      if (!(s instanceof String)) {
        for (int i = start; i < end; i++) unit(s.charAt(i));
        return;
      }
      String text = (String) s;
      for (int from = start; from < end; ) {
        int n = Math.min(buffer.length, end - from);
        text.getChars(from, from + n, buffer, 0);
        units(buffer, n);
        from += n;
      }
    }

    private void units(char[] chars, int n) {
      int i = 0;
      while (i < n && unitsInWord != 0) unit(chars[i++]);
      // Whole words straight from the buffer: the loop the time is spent in.
      int wordsFrom = i;
      for (; i + 4 <= n; i += 4) {
        long w = chars[i] | (long) chars[i + 1] << 16 | (long) chars[i + 2] << 32 | (long) chars[i + 3] << 48;
        if ((words++ & 1) == 0) laneA = round(laneA ^ w); else laneB = round(laneB ^ w);
      }
      units += i - wordsFrom;
      while (i < n) unit(chars[i++]);
    }

    private void unit(char c) {
      word |= (long) c << (16 * unitsInWord);
      units++;
      if (++unitsInWord == 4) {
        if ((words++ & 1) == 0) laneA = round(laneA ^ word); else laneB = round(laneB ^ word);
        word = 0;
        unitsInWord = 0;
      }
    }

    private static long round(long x) {
      x *= K1;
      return x ^ (x >>> 29);
    }

    private static long finalMix(long h) {
      h ^= h >>> 33;
      h *= 0xff51afd7ed558ccdL;
      h ^= h >>> 33;
      h *= 0xc4ceb9fe1a85ec53L;
      return h ^ (h >>> 33);
    }

    /** The hash as 16 hex digits. */
    String finishHex() {
      long h = round(laneA ^ word ^ (long) unitsInWord << 62) ^ Long.rotateLeft(round(laneB), 31) ^ units * K2;
      h = finalMix(h);
      char[] hex = new char[16];
      for (int k = 15; k >= 0; k--) {
        hex[k] = Character.forDigit((int) (h & 0xf), 16);
        h >>>= 4;
      }
      return new String(hex);
    }
  }

  private static final ThreadLocal<TextHash> TEXT_HASH = new ThreadLocal<TextHash>() {
    @Override
    protected TextHash initialValue() {
      return new TextHash();
    }
  };

  /** The request hash's function over one text, for tests. */
  static String textHash(String text) {
    TextHash h = new TextHash();
    h.reset();
    return h.add(text).finishHex();
  }

  private static final ThreadLocal<Digest> DIGEST = new ThreadLocal<Digest>() {
    @Override
    protected Digest initialValue() {
      return new Digest(MediaParts.newSha256());
    }
  };

  /** SHA-256 fed with text as UTF-8 through a reused buffer, as String.getBytes(UTF_8) would encode it. */
  static final class Digest implements Sink {
    private final MessageDigest md;
    private final byte[] buffer = new byte[4096];
    private int n;

    Digest(MessageDigest md) {
      this.md = md;
    }

    Digest add(Object value) {
      return add(String.valueOf(value));
    }

    Digest add(String s) {
      if (s == null) return add("null");
      append(s, 0, s.length());
      return this;
    }

    @Override
    public void append(CharSequence s, int start, int end) {
      for (int i = start; i < end; i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          put(0xf0 | (cp >> 18));
          put(0x80 | ((cp >> 12) & 0x3f));
          put(0x80 | ((cp >> 6) & 0x3f));
          put(0x80 | (cp & 0x3f));
        } else if (Character.isSurrogate(c)) {
          put('?'); // what the JDK's encoder writes for a lone surrogate
        } else {
          add(c);
        }
      }
    }

    Digest add(char c) {
      if (c < 0x80) {
        put(c);
      } else if (c < 0x800) {
        put(0xc0 | (c >> 6));
        put(0x80 | (c & 0x3f));
      } else {
        put(0xe0 | (c >> 12));
        put(0x80 | ((c >> 6) & 0x3f));
        put(0x80 | (c & 0x3f));
      }
      return this;
    }

    private void put(int b) {
      if (n == buffer.length) flush();
      buffer[n++] = (byte) b;
    }

    private void flush() {
      md.update(buffer, 0, n);
      n = 0;
    }

    /** A string's length, then the string (or -1 for null): pieces that cannot run into each other. */
    Digest addSized(String s) {
      if (s == null) return add("-1:");
      add(Integer.toString(s.length())).add(':');
      append(s, 0, s.length());
      return this;
    }

    /** The first 128 bits of the digest; the digest is reset for the next use. */
    TemplateKey finishKey() {
      flush();
      byte[] b = md.digest();
      long high = 0;
      long low = 0;
      for (int k = 0; k < 8; k++) {
        high = (high << 8) | (b[k] & 0xff);
        low = (low << 8) | (b[8 + k] & 0xff);
      }
      return new TemplateKey(high, low);
    }

    /** The first 64 bits of the digest as 16 hex digits; the digest is reset for the next use. */
    String finishHex() {
      flush();
      return hex(md.digest());
    }
  }



  static String shortHash(String text) {
    return hex(MediaParts.sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String hex(byte[] digest) {
    char[] hex = new char[16];
    for (int k = 0; k < 8; k++) {
      hex[2 * k] = Character.forDigit((digest[k] >> 4) & 0xf, 16);
      hex[2 * k + 1] = Character.forDigit(digest[k] & 0xf, 16);
    }
    return new String(hex);
  }

  /**
   * An estimate of input tokens for models without a tokenizer (and for OpenAI models until the
   * tokenizer's vocabulary is loaded): text at about four characters a token
   * ({@link Tokenizers#estimateTextTokens}), four tokens of overhead per message, and each media
   * part by {@link MediaTokens}.
   */
  public static long estimateInputTokens(LlmCall call) {
    long messages = call.request().inputMessages().size() + (call.request().systemInstructions().isEmpty() ? 0 : 1);
    return Tokenizers.estimateTextTokens(inputCharacters(call)) + 4 * messages + MediaTokens.of(call);
  }

  /**
   * Characters of all text a request sends: instructions, messages, tool calls and definitions.
   * Media parts count no characters (their URI or file id is not what the model reads): their
   * tokens are {@link MediaTokens#of}, which every estimate adds.
   */
  static long inputCharacters(LlmCall call) {
    long chars = 0;
    for (LlmMessage.Part part : call.request().systemInstructions()) {
      if (!part.isMedia()) chars += length(part.content);
    }
    for (LlmMessage m : call.request().inputMessages()) {
      chars += length(m.role());
      for (LlmMessage.Part p : m.parts()) {
        if (!p.isMedia()) chars += length(p.content) + length(p.arguments) + length(p.name);
      }
    }
    for (ToolDefinition tool : call.request().toolDefinitions()) {
      chars += length(tool.name) + length(tool.description) + length(tool.parametersJson);
    }
    return chars;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  private Fingerprints() {}
}
