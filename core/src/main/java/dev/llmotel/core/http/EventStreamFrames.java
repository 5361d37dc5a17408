package dev.llmotel.core.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The AWS event-stream framing ({@code application/vnd.amazon.eventstream}, Bedrock's streamed
 * answers), read and written so that a recording holds each message's headers and its payload as
 * text (redactable, readable) and replay sends the same messages back with valid checksums.
 * A message: total length (u32), headers length (u32), CRC32 of those 8 bytes, the headers, the
 * payload, CRC32 of everything before it.
 */
public final class EventStreamFrames {
  private static final int MAX_MESSAGE = 16 << 20;

  /** Whether a response of this content type is an AWS event stream. */
  public static boolean isEventStream(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("vnd.amazon.eventstream");
  }

  /** One message: its string headers ({@code :event-type}, {@code :message-type}, ...) and payload. */
  public static final class Frame {
    public final Map<String, String> headers;
    public final byte[] payload;

    Frame(Map<String, String> headers, byte[] payload) {
      this.headers = headers;
      this.payload = payload;
    }
  }

  /** What a {@link Decoder} hands each whole message to. */
  public interface Listener {
    void onFrame(Frame frame);
  }

  /** Reads messages from bytes in any split; a message past the size bound ends the decoding. */
  public static final class Decoder {
    private final Listener listener;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean broken;

    public Decoder(Listener listener) {
      this.listener = listener;
    }

    public void feed(byte[] b, int off, int len) {
      if (broken) return;
      pending.write(b, off, len);
      byte[] buf = pending.toByteArray();
      int pos = 0;
      while (buf.length - pos >= 12) {
        int total = ByteBuffer.wrap(buf, pos, 4).getInt();
        if (total < 16 || total > MAX_MESSAGE) {
          broken = true;
          return;
        }
        if (buf.length - pos < total) break;
        int headersLength = ByteBuffer.wrap(buf, pos + 4, 4).getInt();
        if (headersLength < 0 || headersLength > total - 16) {
          broken = true;
          return;
        }
        Map<String, String> headers = headers(buf, pos + 12, headersLength);
        int payloadStart = pos + 12 + headersLength;
        byte[] payload = new byte[total - 16 - headersLength];
        System.arraycopy(buf, payloadStart, payload, 0, payload.length);
        listener.onFrame(new Frame(headers, payload));
        pos += total;
      }
      pending.reset();
      pending.write(buf, pos, buf.length - pos);
    }
  }

  /** The string headers of a message; headers of other types are skipped by their sizes. */
  static Map<String, String> headers(byte[] b, int off, int len) {
    Map<String, String> out = new LinkedHashMap<>();
    int p = off;
    int end = off + len;
    while (p < end) {
      int nameLength = b[p++] & 0xff;
      String name = new String(b, p, nameLength, StandardCharsets.UTF_8);
      p += nameLength;
      int type = b[p++] & 0xff;
      switch (type) {
        case 0:
        case 1:
          break; // true, false: no value bytes
        case 2: p += 1; break;
        case 3: p += 2; break;
        case 4: p += 4; break;
        case 5:
        case 8: p += 8; break;
        case 9: p += 16; break;
        case 6:
        case 7: {
          int valueLength = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
          p += 2;
          if (type == 7) out.put(name, new String(b, p, valueLength, StandardCharsets.UTF_8));
          p += valueLength;
          break;
        }
        default:
          return out; // an unknown type: its size is unknown, the rest cannot be read
      }
    }
    return out;
  }

  /** One message with these string headers and this payload. */
  public static byte[] encode(Map<String, String> headers, byte[] payload) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
      h.write(name.length);
      h.write(name, 0, name.length);
      h.write(7);
      h.write((value.length >>> 8) & 0xff);
      h.write(value.length & 0xff);
      h.write(value, 0, value.length);
    }
    byte[] headerBytes = h.toByteArray();
    int total = 16 + headerBytes.length + payload.length;
    ByteBuffer buf = ByteBuffer.allocate(total);
    buf.putInt(total);
    buf.putInt(headerBytes.length);
    buf.putInt((int) crc32(buf.array(), 8));
    buf.put(headerBytes);
    buf.put(payload);
    buf.putInt((int) crc32(buf.array(), total - 4));
    return buf.array();
  }

  private static long crc32(byte[] bytes, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }

  private EventStreamFrames() {}
}
