package dev.llmotel.instrumentation.springai;

import java.lang.reflect.Method;

/**
 * A public no-argument accessor that only some of a type's releases have, looked up once per class:
 * a call per request, with no exception thrown for the classes that lack it.
 */
final class OptionalAccessor extends ClassValue<Method> {
  private final String name;

  OptionalAccessor(String name) {
    this.name = name;
  }

  @Override
  protected Method computeValue(Class<?> type) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }

  boolean has(Object target) {
    return target != null && get(target.getClass()) != null;
  }

  /** Its value; null where the target lacks it or it threw. */
  Object call(Object target) {
    Method m = target == null ? null : get(target.getClass());
    if (m == null) return null;
    try {
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
