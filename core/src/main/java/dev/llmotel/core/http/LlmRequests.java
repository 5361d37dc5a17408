package dev.llmotel.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Whether a request to an endpoint that looks like an LLM API is an LLM call: its body must be
 * that format's request ({@link WireFormat#isRequest}). Paths such as {@code /v1/messages},
 * {@code /completions} or {@code /embeddings} are common outside LLM APIs, and this layer must
 * never trace, fault or refuse a call it does not understand. The checks run cheapest first: a
 * body that does not start as a JSON object, or is not UTF-8, is never decoded or parsed.
 */
final class LlmRequests {
  /**
   * The body parsed, when it is the endpoint format's request; null when it is not (not a JSON
   * object, not UTF-8, malformed, or without the format's fields). Never throws on any input.
   */
  static Map<?, ?> parse(LlmEndpoint endpoint, byte[] bytes) {
    if (bytes == null || !startsAnObject(bytes) || !validUtf8(bytes)) return null;
    Map<?, ?> body = JsonMaps.parseObject(new String(bytes, StandardCharsets.UTF_8));
    if (body == null) return null;
    try {
      return endpoint.format.isRequest(body, endpoint.pathModel) ? body : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether the first byte that is not JSON whitespace opens an object. */
  static boolean startsAnObject(byte[] b) {
    for (byte c : b) {
      if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
      return c == '{';
    }
    return false;
  }

  /**
   * Whether the bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
   * past U+10FFFF), as JSON exchanged between systems must be; a lenient decode would turn other
   * bytes into replacement characters and parse them anyway.
   */
  static boolean validUtf8(byte[] b) {
    int n = b.length;
    int i = 0;
    while (i < n) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more;
      if (c >= 0xc2 && c <= 0xdf) more = 1;
      else if (c >= 0xe0 && c <= 0xef) more = 2;
      else if (c >= 0xf0 && c <= 0xf4) more = 3;
      else return false;
      if (n - i <= more) return false;
      int c1 = b[i + 1] & 0xff;
      if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90)
          || (c == 0xf4 && c1 > 0x8f)) {
        return false;
      }
      for (int k = 1; k <= more; k++) {
        if ((b[i + k] & 0xc0) != 0x80) return false;
      }
      i += more + 1;
    }
    return true;
  }

  private LlmRequests() {}
}
