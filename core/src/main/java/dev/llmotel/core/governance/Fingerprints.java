package dev.llmotel.core.governance;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * Hashes that identify a prompt without holding its text. The fingerprint covers the template part
 * (system instructions and tool definitions) normalised so that what varies per request (numbers,
 * dates, ids, whitespace) does not change it; the request hash covers the whole request.
 */
public final class Fingerprints {
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern DATE_TIME = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?");
  private static final Pattern LONG_HEX = Pattern.compile("\\b(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{12,}\\b");
  private static final Pattern ID_LIKE = Pattern.compile("\\b[A-Za-z]+[_-][A-Za-z0-9]*\\d[A-Za-z0-9_-]*\\b");
  private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** The template text with its variable parts replaced by placeholders. */
  static String normalize(String text) {
    String t = UUID.matcher(text).replaceAll("<id>");
    t = DATE_TIME.matcher(t).replaceAll("<date>");
    t = LONG_HEX.matcher(t).replaceAll("<id>");
    t = ID_LIKE.matcher(t).replaceAll("<id>");
    t = NUMBER.matcher(t).replaceAll("<n>");
    return WHITESPACE.matcher(t).replaceAll(" ").trim();
  }

  public static String promptFingerprint(LlmCall call) {
    StringBuilder template = new StringBuilder();
    for (LlmMessage.Part part : call.systemInstructions()) {
      if (part.content != null) template.append("system:").append(normalize(part.content)).append('\n');
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      template.append("tool:").append(tool.type).append(':').append(tool.name).append(':')
          .append(tool.description == null ? "" : normalize(tool.description)).append(':')
          .append(tool.parametersJson == null ? "" : tool.parametersJson).append('\n');
    }
    return shortHash(template.toString());
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
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      char[] hex = new char[16];
      for (int k = 0; k < 8; k++) {
        hex[2 * k] = Character.forDigit((digest[k] >> 4) & 0xf, 16);
        hex[2 * k + 1] = Character.forDigit(digest[k] & 0xf, 16);
      }
      return new String(hex);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** A conservative-side estimate of input tokens: about four characters a token, plus per-message overhead. */
  public static long estimateInputTokens(LlmCall call) {
    long chars = 0;
    long messages = call.inputMessages().size() + (call.systemInstructions().isEmpty() ? 0 : 1);
    for (LlmMessage.Part part : call.systemInstructions()) chars += length(part.content);
    for (LlmMessage m : call.inputMessages()) {
      for (LlmMessage.Part p : m.parts()) chars += length(p.content) + length(p.arguments);
    }
    for (ToolDefinition tool : call.toolDefinitions()) {
      chars += length(tool.name) + length(tool.description) + length(tool.parametersJson);
    }
    return (chars + 3) / 4 + 4 * messages;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  private Fingerprints() {}
}
