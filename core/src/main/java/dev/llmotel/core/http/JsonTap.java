package dev.llmotel.core.http;

import dev.llmotel.core.SafeHooks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A JSON body: a bounded copy, parsed when the app has read it all. */
final class JsonTap extends MappingTap {
  private static final int MAX_BODY = HttpLlmExchange.MAX_BODY;
  private static final int TAIL = 16 << 10;

  private final ByteArrayOutputStream head;
  private byte[] tail;
  private long total;
  private boolean finished;

  JsonTap(OwnedCallExchange exchange) {
    super(exchange);
    // Sized by the response's content-length where it has one (no copies as it grows).
    long contentLength = exchange.contentLength;
    head = new ByteArrayOutputStream(contentLength > 0 && contentLength <= MAX_BODY ? (int) contentLength : 1024);
  }

  @Override
  public synchronized void bytes(byte[] b, int off, int len) {
    try {
      int intoHead = Math.max(0, Math.min(MAX_BODY - head.size(), len));
      if (intoHead > 0) head.write(b, off, intoHead);
      total += intoHead;
      int rest = len - intoHead;
      if (rest == 0) return;
      // Past the cap: from here on only the body's last TAIL bytes are kept (where its usage is).
      // The ring is made only now, from the head's end, so a body within the cap costs no ring.
      if (tail == null) {
        tail = new byte[TAIL];
        byte[] h = head.toByteArray();
        for (long p = total - TAIL; p < total; p++) tail[(int) (p % TAIL)] = h[(int) p];
      }
      int start = off + intoHead;
      for (int i = Math.max(start, off + len - TAIL); i < off + len; i++) {
        tail[(int) ((total + i - start) % TAIL)] = b[i];
      }
      total += rest;
    } catch (Throwable t) {
      SafeHooks.failed("http body copy", t);
    }
  }

  @Override
  synchronized void finish(boolean readToEnd) {
    if (finished || exchange.ended()) return;
    finished = true;
    if (total == 0) return; // never read: no usage to claim
    try {
      SafeHooks.checkpoint("response");
      if (total <= MAX_BODY) {
        // Also on an early close: an app that read exactly the body's length never sees its end,
        // and a copy that parses as a whole object is the whole body.
        Map<?, ?> body = JsonMaps.parseObject(new String(head.toByteArray(), StandardCharsets.UTF_8));
        if (body != null) format.response(call, body);
        return;
      }
      if (!readToEnd) return;
      call.response().responseTruncated(true);
      Map<?, ?> usage = TailUsage.find(tailBytes());
      if (usage != null) format.response(call, usage);
    } catch (Throwable t) {
      SafeHooks.failed("http response mapping", t);
    }
  }

  private byte[] tailBytes() {
    int n = (int) Math.min(TAIL, total);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) out[i] = tail[(int) ((total - n + i) % TAIL)];
    return out;
  }
}
