package dev.llmotel.core.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A response body read as an InputStream that ends early at an injected or recorded cut: the bytes
 * before it pass unchanged, then every read throws the client's own I/O error for a connection
 * that dropped in the middle of a body.
 */
public final class CutInputStream extends FilterInputStream {
  private final HttpFault.BodyCut cut;
  private final Supplier<IOException> failure;

  public CutInputStream(InputStream in, HttpFault.BodyCut cut, Supplier<IOException> failure) {
    super(in);
    this.cut = cut;
    this.failure = failure;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (cut.reached()) throw failure.get();
    int n = super.read(b, off, len);
    if (n == -1) return -1;
    int allowed = cut.allow(b, off, n);
    if (allowed == 0) throw failure.get();
    return allowed;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(8192, Math.max(0, n))];
    int read = buffer.length == 0 ? 0 : read(buffer, 0, buffer.length);
    return Math.max(0, read);
  }

  @Override
  public int available() {
    return 0;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
