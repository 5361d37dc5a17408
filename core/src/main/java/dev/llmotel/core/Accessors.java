package dev.llmotel.core;

import java.lang.reflect.Method;

/**
 * Reads a public no-argument accessor by name: for library types that exist only in some
 * releases, or in optional modules a library module must not link against.
 */
public final class Accessors {
  /** The accessor's value; null where the target or the accessor is missing, or it threw. */
  public static Object call(Object target, String method) {
    if (target == null) return null;
    try {
      Method m = target.getClass().getMethod(method);
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not this release's shape: the attribute is left out
    }
  }

  /**
   * The unchecked exception of the named type with this message, as {@code loader} sees the type (a
   * library's own exception where it may or may not be on the class path); null where it cannot be made.
   */
  public static RuntimeException newException(ClassLoader loader, String type, String message) {
    Throwable e = newThrowable(loader, type, message);
    return e instanceof RuntimeException ? (RuntimeException) e : null;
  }

  /** As {@link #newException}, for any throwable type (a tool may throw a checked exception); null if it cannot be made. */
  public static Throwable newThrowable(ClassLoader loader, String type, String message) {
    try {
      Object e = Class.forName(type, false, loader).getConstructor(String.class).newInstance(message);
      return e instanceof Throwable ? (Throwable) e : null;
    } catch (Throwable t) {
      return null;
    }
  }

  private Accessors() {}
}
