package dev.llmotel.instrumentation.langchain4j;

import java.lang.reflect.Method;

/** Reads an accessor that exists only in some releases; null where it does not. */
final class Reflection {
  static Object call(Object target, String method) {
    if (target == null) return null;
    try {
      Method m = target.getClass().getMethod(method);
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // not this release's shape
    }
  }

  private Reflection() {}
}
