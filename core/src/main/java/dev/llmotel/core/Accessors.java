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

  private Accessors() {}
}
