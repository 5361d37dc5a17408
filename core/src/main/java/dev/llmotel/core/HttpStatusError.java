package dev.llmotel.core;

/**
 * An HTTP error response the app received as a response, not as an exception (a plain HTTP client
 * returns a 429 like a 200): it ends the call's span in error with the status code as error.type,
 * as the HTTP semantic conventions do. Never thrown; no stack trace.
 */
public final class HttpStatusError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public HttpStatusError(int status) {
    super("HTTP " + status, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  String errorType() {
    return Integer.toString(status);
  }
}
