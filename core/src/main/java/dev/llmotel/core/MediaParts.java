package dev.llmotel.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Media parts from what a request carries, in one place for every mapper (the raw-HTTP wire
 * formats and the SDK modules): inline base64 becomes a {@link LlmMessage.Part#BLOB} identified by
 * the SHA-256 (hex) of the base64 text as sent and its decoded size; a {@code data:} URI is inline
 * data; any other URL is a {@link LlmMessage.Part#URI}. The bytes and the base64 text are never
 * kept. Every method takes what it is given without throwing: a null or malformed value gives a
 * part with what could be read (or null where there is nothing to identify).
 */
public final class MediaParts {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<MessageDigest> SHA256 = new ThreadLocal<MessageDigest>() {
    @Override
    protected MessageDigest initialValue() {
      return newSha256();
    }
  };

  /**
   * Inline media sent as base64 text: hashed as sent (SHA-256 of the text, hex), sized as the
   * bytes it decodes to. The modality, when null, follows from the MIME type
   * ({@link #modalityOf}), a document when that says nothing. Null base64 text gives a blob
   * without hash and size (-1).
   */
  public static LlmMessage.Part inline(String modality, String mimeType, String base64) {
    String m = modality(modality, mimeType);
    if (base64 == null) return LlmMessage.Part.blob(m, mimeType, null, -1);
    return LlmMessage.Part.blob(m, mimeType, sha256Hex(base64), decodedSize(base64));
  }

  /**
   * Inline image sent as base64 text with the pixel size the request states (0 where it does not).
   */
  public static LlmMessage.Part inlineImage(String mimeType, String base64, int width, int height) {
    if (base64 == null) return LlmMessage.Part.image(mimeType, null, -1, width, height);
    return LlmMessage.Part.image(mimeType, sha256Hex(base64), decodedSize(base64), width, height);
  }

  /**
   * A {@code data:[<mime>][;base64],<data>} URI as inline media: the payload after the comma is
   * hashed as sent; its size is the decoded size for base64, else the payload's length. The
   * modality, when null, follows from the URI's MIME type (a document when it has none). Null when
   * {@code uri} is not a data URI.
   */
  public static LlmMessage.Part fromDataUri(String modality, String uri) {
    if (!isDataUri(uri)) return null;
    int comma = uri.indexOf(',');
    // A URI without a comma is malformed: no MIME type, an empty payload.
    String header = comma < 0 ? "" : uri.substring(5, comma);
    int from = comma < 0 ? uri.length() : comma + 1;
    boolean base64 = false;
    String mimeType = null;
    String[] params = header.split(";", -1);
    for (int i = 0; i < params.length; i++) {
      String p = params[i].trim();
      if (i == 0) {
        if (!p.isEmpty()) mimeType = p.toLowerCase(Locale.ROOT);
      } else if (p.equalsIgnoreCase("base64")) {
        base64 = true;
      }
    }
    String m = modality(modality, mimeType);
    long size = base64 ? decodedSize(uri, from, uri.length()) : uri.length() - from;
    return LlmMessage.Part.blob(m, mimeType, sha256Hex(uri, from, uri.length()), size);
  }

  /**
   * A URL as the request sent it: a {@code data:} URI is inline media ({@link #fromDataUri}), any
   * other URL a {@link LlmMessage.Part#URI} part (modality from {@code mimeType} when null, a
   * document when that says nothing). Null for a null URL.
   */
  public static LlmMessage.Part fromUrl(String modality, String mimeType, String url) {
    if (url == null) return null;
    if (isDataUri(url)) {
      LlmMessage.Part p = fromDataUri(modality, url);
      if (p != null && p.mimeType == null && mimeType != null) {
        return LlmMessage.Part.blob(modality(modality, mimeType), mimeType, p.contentHash, p.sizeBytes);
      }
      return p;
    }
    return LlmMessage.Part.uri(modality(modality, mimeType), mimeType, url);
  }

  public static boolean isDataUri(String s) {
    return s != null && s.length() >= 5 && s.regionMatches(true, 0, "data:", 0, 5);
  }

  /**
   * image/*, audio/*, video/* give that modality; any other known MIME type is a document; null
   * gives null (the caller knows best).
   */
  public static String modalityOf(String mimeType) {
    if (mimeType == null || mimeType.isEmpty()) return null;
    String t = mimeType.toLowerCase(Locale.ROOT);
    if (t.startsWith("image/")) return LlmMessage.Part.MODALITY_IMAGE;
    if (t.startsWith("audio/")) return LlmMessage.Part.MODALITY_AUDIO;
    if (t.startsWith("video/")) return LlmMessage.Part.MODALITY_VIDEO;
    return LlmMessage.Part.MODALITY_DOCUMENT;
  }

  /**
   * The number of bytes base64 text decodes to: its characters other than whitespace and trailing
   * '=' padding, times 3/4 (rounded down). Text that is not valid base64 gets the same estimate.
   */
  public static long decodedSize(String base64) {
    return base64 == null ? -1 : decodedSize(base64, 0, base64.length());
  }

  private static long decodedSize(String text, int from, int to) {
    int end = to;
    while (end > from) {
      char c = text.charAt(end - 1);
      if (c == '=' || isSpace(c)) end--;
      else break;
    }
    long n = 0;
    for (int i = from; i < end; i++) {
      if (!isSpace(text.charAt(i))) n++;
    }
    return n * 3 / 4;
  }

  /** Hex SHA-256 of the text's UTF-8 encoding, fed through a small buffer (no copy of base64 text); null for null. */
  public static String sha256Hex(String text) {
    return text == null ? null : sha256Hex(text, 0, text.length());
  }

  private static String sha256Hex(String text, int from, int to) {
    MessageDigest md = SHA256.get();
    md.reset();
    byte[] buf = new byte[8192];
    int pos = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        // Not base64 (nor ASCII): hash the exact UTF-8 encoding instead.
        md.reset();
        return hex(md.digest(text.substring(from, to).getBytes(StandardCharsets.UTF_8)));
      }
      buf[pos++] = (byte) c;
      if (pos == buf.length) {
        md.update(buf, 0, pos);
        pos = 0;
      }
    }
    md.update(buf, 0, pos);
    return hex(md.digest());
  }

  /** Inline media given as bytes (the SDKs' byte arrays): hashed and sized, the bytes not kept. */
  public static LlmMessage.Part inlineBytes(String modality, String mimeType, byte[] bytes) {
    String m = modality(modality, mimeType);
    if (bytes == null) return LlmMessage.Part.blob(m, mimeType, null, -1);
    return LlmMessage.Part.blob(m, mimeType, hex(sha256().digest(bytes)), bytes.length);
  }

  /** This thread's SHA-256 digest, reset, for a hash computed in one go (never held across calls). */
  public static MessageDigest sha256() {
    MessageDigest md = SHA256.get();
    md.reset();
    return md;
  }

  /** A SHA-256 digest of the caller's own, for one that feeds a digest piece by piece. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The given modality, else the MIME type's, else a document: a media part always has one. */
  private static String modality(String modality, String mimeType) {
    if (modality != null) return modality;
    String m = modalityOf(mimeType);
    return m != null ? m : LlmMessage.Part.MODALITY_DOCUMENT;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static String hex(byte[] digest) {
    char[] out = new char[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  private MediaParts() {}
}
