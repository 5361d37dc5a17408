package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.http.HttpFault;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/** The real body up to an injected cut, then the I/O error of a connection that dropped. */
final class CutResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;

  CutResponseBody(ResponseBody delegate, HttpFault.BodyCut cut) {
    this.delegate = delegate;
    this.source = Okio.buffer(new ForwardingSource(delegate.source()) {
      @Override
      public long read(Buffer sink, long byteCount) throws IOException {
        if (cut.reached()) throw cut.failure();
        Buffer chunk = new Buffer();
        long read = super.read(chunk, byteCount);
        if (read == -1) return -1;
        byte[] bytes = chunk.readByteArray();
        int allowed = cut.allow(bytes, 0, bytes.length);
        if (allowed == 0) throw cut.failure();
        sink.write(bytes, 0, allowed);
        return allowed;
      }
    });
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return -1; // no longer the server's length
  }

  @Override
  public BufferedSource source() {
    return source;
  }
}
