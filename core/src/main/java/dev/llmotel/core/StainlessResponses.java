package dev.llmotel.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an HTTP response of a Stainless-generated SDK: each SDK has its own HttpResponse type in
 * its own package, all with {@code statusCode()} and {@code headers().values(name)}. The methods
 * are looked up once per class, as method handles: an attempt reads four values, and
 * {@code Method.invoke} allocated an argument array and checked the caller's access on each.
 */
final class StainlessResponses {
  private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
  private static final MethodType LOOKUP = MethodType.methodType(Object.class, Object.class, String.class);

  private static final Map<Class<?>, Accessors> byType = new ConcurrentHashMap<>();
  /**
   * The accessors of the last response type and the last headers type read: a process has one or two
   * of each, so these are nearly always the ones, found without a map lookup on every attempt.
   */
  private static volatile Accessors lastResponse;
  private static volatile Accessors lastHeaders;

  /** The status code, or null when {@code response} is no SDK HTTP response. */
  static Integer status(Object response) throws Throwable {
    Accessors a = lastResponse;
    if (a == null || a.type != response.getClass()) lastResponse = a = accessors(response.getClass());
    if (a.status == null) return null;
    Object status = a.status.invokeExact(response);
    return status instanceof Integer ? (Integer) status : null;
  }

  /** The response's headers object (read once per response: each header is then looked up in it), or null. */
  static Object headers(Object response) throws Throwable {
    Accessors a = lastResponse;
    if (a == null || a.type != response.getClass()) lastResponse = a = accessors(response.getClass());
    return a.headers == null ? null : (Object) a.headers.invokeExact(response);
  }

  /** The first value of a header in what {@link #headers} returned, or null. */
  static String value(Object headers, String name) throws Throwable {
    if (headers == null) return null;
    Accessors a = lastHeaders;
    if (a == null || a.type != headers.getClass()) lastHeaders = a = accessors(headers.getClass());
    if (a.values == null) return null;
    Object list = a.values.invokeExact(headers, name);
    if (!(list instanceof List)) return null;
    List<?> found = (List<?>) list;
    return found.isEmpty() ? null : String.valueOf(found.get(0));
  }

  private static Accessors accessors(Class<?> type) {
    Accessors a = byType.get(type);
    if (a == null) {
      a = new Accessors(type);
      if (byType.size() < 64) byType.put(type, a);
    }
    return a;
  }

  /** A response or headers type's methods, typed Object in and out; each null where the type has none. */
  private static final class Accessors {
    final Class<?> type;
    final MethodHandle status;
    final MethodHandle headers;
    final MethodHandle values;

    Accessors(Class<?> type) {
      this.type = type;
      this.status = handle(type, GETTER, "statusCode");
      this.headers = handle(type, GETTER, "headers");
      this.values = handle(type, LOOKUP, "values", String.class);
    }
  }

  /**
   * The public method as a handle of the given type. The response classes are often private
   * implementations of a public interface: the method is taken from that interface where the class
   * itself is not public, so no access needs to be forced open.
   */
  private static MethodHandle handle(Class<?> type, MethodType as, String name, Class<?>... parameters) {
    try {
      Method m = publicDeclaration(type, name, parameters);
      if (m == null) return null;
      return MethodHandles.publicLookup().unreflect(m).asType(as);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Method publicDeclaration(Class<?> type, String name, Class<?>... parameters) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (Modifier.isPublic(c.getModifiers())) {
        Method m = declared(c, name, parameters);
        if (m != null) return m;
      }
      for (Class<?> i : c.getInterfaces()) {
        Method m = publicDeclaration(i, name, parameters);
        if (m != null) return m;
      }
    }
    return null;
  }

  private static Method declared(Class<?> c, String name, Class<?>... parameters) {
    try {
      Method m = c.getMethod(name, parameters);
      return Modifier.isPublic(m.getDeclaringClass().getModifiers()) ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private StainlessResponses() {}
}
