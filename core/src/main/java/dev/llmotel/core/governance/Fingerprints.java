package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashes that identify a prompt without holding its text. The fingerprint covers the template part
 * (system instructions and tool definitions) normalised so that what varies per request (numbers,
 * dates, ids, whitespace) does not change it; the request hash covers the whole request.
 */
public final class Fingerprints {
  private static final int MAX_CACHED_TEMPLATES = 1024;
  private static final Map<String, String> fingerprintByTemplate = new ConcurrentHashMap<>();
  private static final Map<String, String> fingerprintBySystemText = new ConcurrentHashMap<>();
  private static final ThreadLocal<MessageDigest> SHA256 = new ThreadLocal<MessageDigest>() {
    @Override
    protected MessageDigest initialValue() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every JVM", e);
      }
    }
  };

  /**
   * The template text with what varies per request replaced: numbers by {@code <n>}, dates and
   * times by {@code <date>}, words that mix digits with letters, '_' or '-' (ids, UUIDs, hashes) by
   * {@code <id>}; whitespace runs collapse to one space. One pass, no regex: it runs on every call
   * whose template text is new.
   */
  static String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        while (i < n && Character.isWhitespace(text.charAt(i))) i++;
        if (out.length() > 0) out.append(' ');
        continue;
      }
      if (!isWordChar(c)) {
        out.append(c);
        i++;
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
        out.append("<date>");
        i = start + 10;
        while (i < n && "0123456789:.TZ+-".indexOf(text.charAt(i)) >= 0) i++;
      } else if (!other) {
        out.append("<n>");
        // a decimal or grouped number: 12.50, 1,000
        while (i + 1 < n && (text.charAt(i) == '.' || text.charAt(i) == ',') && isDigit(text.charAt(i + 1))) {
          i++;
          while (i < n && isDigit(text.charAt(i))) i++;
        }
      } else {
        out.append("<id>");
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') end--;
    out.setLength(end);
    return out.toString();
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** yyyy-mm-dd at this position. */
  private static boolean isDateAt(String s, int i) {
    if (i + 10 > s.length()) return false;
    for (int k = 0; k < 10; k++) {
      char c = s.charAt(i + k);
      if (k == 4 || k == 7 ? c != '-' : !isDigit(c)) return false;
    }
    return true;
  }

  /**
   * The fingerprint of the call's template. Apps mostly send the same template again, so the result
   * is cached by the raw template text (bounded); only a new text pays for normalisation.
   */
  public static String promptFingerprint(LlmCall call) {
    // The common template, one system text and no tools, is its own cache key: nothing to build.
    if (call.toolDefinitions().isEmpty() && call.systemInstructions().size() == 1
        && call.systemInstructions().get(0).content != null) {
      String system = call.systemInstructions().get(0).content;
      String cached = fingerprintBySystemText.get(system);
      if (cached != null) return cached;
      String fingerprint = shortHash(normalizedTemplate(call));
      if (fingerprintBySystemText.size() < MAX_CACHED_TEMPLATES) fingerprintBySystemText.put(system, fingerprint);
      return fingerprint;
    }
    StringBuilder raw = new StringBuilder();
    for (LlmMessage.Part part : call.systemInstructions()) {
      if (part.content != null) raw.append("system:").append(part.content).append('\n');
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      raw.append("tool:").append(tool.type).append(':').append(tool.name).append(':')
          .append(tool.description).append(':').append(tool.parametersJson).append('\n');
    }
    String key = raw.toString();
    String cached = fingerprintByTemplate.get(key);
    if (cached != null) return cached;
    String fingerprint = shortHash(normalizedTemplate(call));
    if (fingerprintByTemplate.size() < MAX_CACHED_TEMPLATES) fingerprintByTemplate.put(key, fingerprint);
    return fingerprint;
  }

  private static String normalizedTemplate(LlmCall call) {
    StringBuilder template = new StringBuilder();
    for (LlmMessage.Part part : call.systemInstructions()) {
      if (part.content != null) template.append("system:").append(normalize(part.content)).append('\n');
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      template.append("tool:").append(tool.type).append(':').append(tool.name).append(':')
          .append(tool.description == null ? "" : normalize(tool.description)).append(':')
          .append(tool.parametersJson == null ? "" : tool.parametersJson).append('\n');
    }
    return template.toString();
  }

  /** Hashes the request as it is, streaming its parts into the digest: no copy of the prompt is made. */
  public static String requestHash(LlmCall call) {
    Digest d = DIGEST.get();
    d.add(call.provider()).add('|').add(call.operation()).add('|').add(call.requestModel())
        .add('|').add(call.temperature()).add('|').add(call.topP()).add('|')
        .add(call.maxTokens()).add('|').add(call.seed()).add('|').add(call.stopSequences())
        .add('\n');
    for (LlmMessage.Part part : call.systemInstructions()) d.add("system:").add(part.content).add('\n');
    for (LlmMessage m : call.inputMessages()) {
      d.add(m.role()).add(':');
      for (LlmMessage.Part p : m.parts()) {
        d.add(p.type).add('/').add(p.id).add('/').add(p.name).add('/')
            .add(p.arguments).add('/').add(p.content).add(';');
      }
      d.add('\n');
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      d.add("tool:").add(tool.name).add(':').add(tool.parametersJson).add('\n');
    }
    return d.finishHex();
  }

  private static final ThreadLocal<Digest> DIGEST = new ThreadLocal<Digest>() {
    @Override
    protected Digest initialValue() {
      return new Digest(SHA256.get());
    }
  };

  /** SHA-256 fed with text as UTF-8 through a reused buffer, as String.getBytes(UTF_8) would encode it. */
  private static final class Digest {
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
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
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
      return this;
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

    String finishHex() {
      flush();
      return hex(md.digest());
    }
  }

  static String shortHash(String text) {
    return hex(SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String hex(byte[] digest) {
    char[] hex = new char[16];
    for (int k = 0; k < 8; k++) {
      hex[2 * k] = Character.forDigit((digest[k] >> 4) & 0xf, 16);
      hex[2 * k + 1] = Character.forDigit(digest[k] & 0xf, 16);
    }
    return new String(hex);
  }

  /** An estimate of input tokens for models without a tokenizer: about four characters a token, plus per-message overhead. */
  public static long estimateInputTokens(LlmCall call) {
    long messages = call.inputMessages().size() + (call.systemInstructions().isEmpty() ? 0 : 1);
    return (inputCharacters(call) + 3) / 4 + 4 * messages;
  }

  /** Characters of all text a request sends: instructions, messages, tool calls and definitions. */
  static long inputCharacters(LlmCall call) {
    long chars = 0;
    for (LlmMessage.Part part : call.systemInstructions()) chars += length(part.content);
    for (LlmMessage m : call.inputMessages()) {
      chars += length(m.role());
      for (LlmMessage.Part p : m.parts()) chars += length(p.content) + length(p.arguments) + length(p.name);
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      chars += length(tool.name) + length(tool.description) + length(tool.parametersJson);
    }
    return chars;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  private Fingerprints() {}
}
