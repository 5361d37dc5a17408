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
