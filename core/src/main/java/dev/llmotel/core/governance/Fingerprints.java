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

  public static String requestHash(LlmCall call) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(call.provider()).append('|').append(call.operation()).append('|').append(call.requestModel())
        .append('|').append(call.temperature()).append('|').append(call.topP()).append('|')
        .append(call.maxTokens()).append('|').append(call.seed()).append('|').append(call.stopSequences())
        .append('\n');
    for (LlmMessage.Part part : call.systemInstructions()) sb.append("system:").append(part.content).append('\n');
    for (LlmMessage m : call.inputMessages()) {
      sb.append(m.role()).append(':');
      for (LlmMessage.Part p : m.parts()) {
        sb.append(p.type).append('/').append(p.id).append('/').append(p.name).append('/')
            .append(p.arguments).append('/').append(p.content).append(';');
      }
      sb.append('\n');
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      sb.append("tool:").append(tool.name).append(':').append(tool.parametersJson).append('\n');
    }
    return shortHash(sb.toString());
  }

  /** The first 16 hex digits of SHA-256: short enough to read, long enough not to collide in practice. */
  static String shortHash(String text) {
    byte[] digest = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
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
