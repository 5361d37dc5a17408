package dev.llmotel.instrumentation.okhttp;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.core.http.ResponseTap;
import java.io.IOException;
import java.io.OutputStream;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * The app's response body, unchanged: the same bytes at the same time. Each read's bytes are shown
 * to the tap after the app got them; the end of the body, a failed read and an early close end the
 * call's span.
 */
final class TappedResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final BufferedSource source;

  TappedResponseBody(ResponseBody delegate, ResponseTap tap) {
    this.delegate = delegate;
    this.source = Okio.buffer(new TapSource(delegate.source(), tap));
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public BufferedSource source() {
    return source;
  }

  private static final class TapSource extends ForwardingSource {
    private final ResponseTap tap;
    private final OutputStream sink;

    TapSource(BufferedSource delegate, ResponseTap tap) {
      super(delegate);
      this.tap = tap;
      this.sink = new OutputStream() {
        @Override
        public void write(int b) {
          tap.bytes(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          tap.bytes(b, off, len);
        }
      };
    }

    @Override
    public long read(Buffer sink, long byteCount) throws IOException {
      long read;
      try {
        read = super.read(sink, byteCount);
      } catch (IOException | RuntimeException e) {
        tap.error(e);
        throw e;
      }
      IOException rejection = null;
      try {
        if (read == -1) {
          tap.end();
          rejection = tap.rejection();
        } else if (read > 0) {
          sink.copyTo(this.sink, sink.size() - read, read);
        }
      } catch (Throwable t) {
        SafeHooks.failed("okhttp body tap", t);
      }
      // The output_validation policy rejected the answer: the read of the body's end fails.
      if (rejection != null) throw rejection;
      return read;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        tap.closed();
      }
    }
  }
}
