package dev.llmotel.core.http;

/**
 * The response body as the app reads it, shown to the exchange: bytes, its end, a failure, or the
 * app closing it first. The client module wraps the app's body so that each of these reaches the
 * tap after the app got it.
 */
public abstract class ResponseTap {
  ResponseTap() {}

  /** Bytes the app just read, in order. */
  public abstract void bytes(byte[] b, int off, int len);

  /** The app read the body to its end. */
  public abstract void end();

  /** Reading the body failed. */
  public abstract void error(Throwable t);

  /** The app closed the body (or released the exchange), read to the end or not. */
  public abstract void closed();

  /**
   * After {@link #end}: the I/O error the app's read of the body's end gets instead, when the
   * output_validation policy in enforce mode rejected the answer; else null. A plain HTTP client
   * has no notion of an unusable answer: a failed read of its body is how it fails.
   */
  public java.io.IOException rejection() {
    return null;
  }
}
