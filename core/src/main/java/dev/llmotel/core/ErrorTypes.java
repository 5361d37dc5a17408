package dev.llmotel.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** error.type values: the fully qualified class name of the cause, unwrapped from future wrappers. */
public final class ErrorTypes {
  public static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  public static String of(Throwable t) {
    if (t == null) return null;
    Throwable cause = unwrap(t);
    return cause instanceof HttpStatusError ? ((HttpStatusError) cause).errorType() : cause.getClass().getName();
  }

  private ErrorTypes() {}
}
