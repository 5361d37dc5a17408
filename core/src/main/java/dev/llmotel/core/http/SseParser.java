package dev.llmotel.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events from bytes as they arrive, in any split: lines end in LF, CR or CRLF; an event
 * ends at an empty line; its data lines are joined by LF. An event larger than the cap is dropped
 * (and reported), so one huge event cannot make the copy unbounded.
 */
final class SseParser {
  interface Listener {
    void onEvent(String event, String data);

    void onOversizedEvent();
  }

  private final Listener listener;
  private final int maxEventBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private StringBuilder data;
  private String event;
  private int eventBytes;
  private boolean oversized;
  private boolean lastWasCr;

  SseParser(Listener listener, int maxEventBytes) {
    this.listener = listener;
    this.maxEventBytes = maxEventBytes;
  }

  void feed(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte b = bytes[i];
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue; // the LF of a CRLF
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine();
      } else if (!oversized) {
        if (++eventBytes > maxEventBytes) {
          oversized = true;
          line.reset();
        } else {
          line.write(b);
        }
      }
    }
  }

  /** The stream ended: a last event without its empty line still counts. */
  void end() {
    if (line.size() > 0) endLine();
    dispatch();
  }

  private void endLine() {
    if (line.size() == 0) {
      dispatch();
      return;
    }
    String text = new String(line.toByteArray(), StandardCharsets.UTF_8);
    line.reset();
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) value = value.substring(1);
    if (field.equals("data")) {
      if (data == null) data = new StringBuilder(value.length());
      else data.append('\n');
      data.append(value);
    } else if (field.equals("event")) {
      event = value;
    }
  }

  /**
   * The characters of every string value of the member {@code quotedName} (the name with its quotes,
   * e.g. {@code "\"content\""}, a constant so that nothing is allocated) in an event's raw JSON data,
   * read without parsing it: what the plain-HTTP streams count of an answer's text when they skip
   * parsing a content delta (capture off), for the estimate of a stream that reports no usage.
   *
   * <p>A match counts only where it is a member name: its quote follows an opening brace or a comma
   * (whitespace aside; a quote inside a string value is escaped, so never follows one) and a colon
   * follows it; a value that is not a string ({@code null}, an array, an object) counts nothing, and
   * the search goes on after each value, so a name quoted inside the text is not counted again. An
   * escape counts as one character (a Unicode escape and {@code \n} are one each; a surrogate pair
   * escaped as two Unicode escapes counts two), so the count is the value's length as a Java string,
   * as the SDK modules count it, for any well-formed JSON. Nesting is not tracked: a member of that
   * name at any depth counts, which is why callers choose names the event has only where its text is.
   */
  static long stringChars(String json, String quotedName) {
    long total = 0;
    int n = json.length();
    int from = 0;
    while (true) {
      int at = json.indexOf(quotedName, from);
      if (at < 0) return total;
      from = at + 1;
      int before = at - 1;
      while (before >= 0 && isJsonSpace(json.charAt(before))) before--;
      if (before < 0 || (json.charAt(before) != '{' && json.charAt(before) != ',')) continue;
      int i = at + quotedName.length();
      while (i < n && isJsonSpace(json.charAt(i))) i++;
      if (i >= n || json.charAt(i) != ':') continue;
      i++;
      while (i < n && isJsonSpace(json.charAt(i))) i++;
      if (i >= n || json.charAt(i) != '"') continue;
      i++;
      long chars = 0;
      while (i < n) {
        char c = json.charAt(i);
        if (c == '"') break;
        i += c != '\\' ? 1 : i + 1 < n && json.charAt(i + 1) == 'u' ? 6 : 2;
        chars++;
      }
      total += chars;
      from = i + 1;
    }
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private void dispatch() {
    if (oversized) {
      listener.onOversizedEvent();
    } else if (data != null) {
      listener.onEvent(event, data.toString());
    }
    data = null;
    event = null;
    eventBytes = 0;
    oversized = false;
  }
}
