package dev.llmotel.core.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The app's InputStream of a response body, unchanged: the bytes it reads are shown to the tap
 * after it got them; the end of the body, a failed read and its close end the call's span. An answer
 * the output_validation policy rejects makes the read of the body's end fail.
 */
public final class TappedInputStream extends FilterInputStream {
  private final ResponseTap tap;
  private final byte[] oneByte = new byte[1];

  public TappedInputStream(InputStream in, ResponseTap tap) {
    super(in);
    this.tap = tap;
  }

  @Override
  public int read() throws IOException {
    int n = read(oneByte, 0, 1);
    return n == -1 ? -1 : oneByte[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      tap.error(e);
      throw e;
    }
    if (n == -1) {
      tap.end();
      IOException rejection = tap.rejection();
      if (rejection != null) throw rejection;
    } else if (n > 0) {
      tap.bytes(b, off, n);
    }
    return n;
  }

  /**
   * The app's close ends the span first: closing a body that was not read to its end may make the
   * client report an error to its own reader (the JDK's does, on Java 25), which is the app's choice,
   * not the call's failure.
   */
  @Override
  public void close() throws IOException {
    try {
      tap.closed();
    } finally {
      super.close();
    }
  }
}
