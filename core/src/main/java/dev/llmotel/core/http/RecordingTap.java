package dev.llmotel.core.http;

import dev.llmotel.core.SafeHooks;

/** Record mode: the span's tap (if this layer owns the span), and the record, see the same bytes. */
final class RecordingTap extends ResponseTap {
  private final ResponseTap inner;
  private final InteractionRecord record;
  private final HttpLlmExchange exchange;

  /** {@code inner} is null when another layer owns the call: then only the record reads the body. */
  RecordingTap(ResponseTap inner, InteractionRecord record, HttpLlmExchange exchange) {
    this.inner = inner;
    this.record = record;
    this.exchange = exchange;
  }

  @Override
  public void bytes(byte[] b, int off, int len) {
    if (inner != null) inner.bytes(b, off, len);
    try {
      record.bytes(b, off, len);
    } catch (Throwable t) {
      SafeHooks.failed("recording a response", t);
    }
  }

  @Override
  public void end() {
    if (inner != null) inner.end();
    record.finish(null, false);
  }

  @Override
  public void error(Throwable t) {
    if (inner != null) inner.error(t);
    record.finish(t, false);
  }

  @Override
  public void closed() {
    if (inner != null) inner.closed();
    // Closed before its end only when the body's length says so: SDKs close a body they read whole.
    long contentLength = exchange.contentLength;
    record.finish(null, contentLength >= 0 && record.bytesRead() < contentLength);
  }
}
