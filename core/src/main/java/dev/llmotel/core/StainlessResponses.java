package dev.llmotel.core;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an HTTP response of a Stainless-generated SDK: each SDK has its own HttpResponse type in
 * its own package, all with {@code statusCode()} and {@code headers().values(name)}. The methods
 * are looked up once per class.
 */
final class StainlessResponses {
  private static final Map<Class<?>, Accessors> byType = new ConcurrentHashMap<>();
  /**
   * The accessors of the last response type and the last headers type read: a process has one or two
   * of each, so these are nearly always the ones, found without a map lookup on every attempt.
   */
  private static volatile Accessors lastResponse;
  private static volatile Accessors lastHeaders;

  /** The status code, or null when {@code response} is no SDK HTTP response. */
  static Integer status(Object response) throws ReflectiveOperationException {
    Accessors a = lastResponse;
    if (a == null || a.type != response.getClass()) lastResponse = a = accessors(response.getClass());
    if (a.status == null) return null;
    Object status = a.status.invoke(response);
    return status instanceof Integer ? (Integer) status : null;
  }

  /** The response's headers object (read once per response: each header is then looked up in it), or null. */
  static Object headers(Object response) throws ReflectiveOperationException {
    Accessors a = lastResponse;
    if (a == null || a.type != response.getClass()) lastResponse = a = accessors(response.getClass());
    return a.headers == null ? null : a.headers.invoke(response);
  }

  /** The first value of a header in what {@link #headers} returned, or null. */
  static String value(Object headers, String name) throws ReflectiveOperationException {
    if (headers == null) return null;
    Accessors a = lastHeaders;
    if (a == null || a.type != headers.getClass()) lastHeaders = a = accessors(headers.getClass());
    if (a.values == null) return null;
    Object list = a.values.invoke(headers, name);
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

  /** A response or headers type's methods; each null where the type has none. */
  private static final class Accessors {
    final Class<?> type;
    final Method status;
    final Method headers;
    final Method values;

    Accessors(Class<?> type) {
      this.type = type;
      this.status = method(type, "statusCode");
      this.headers = method(type, "headers");
      this.values = method(type, "values", String.class);
    }
  }

  private static Method method(Class<?> type, String name, Class<?>... parameters) {
    try {
      Method m = type.getMethod(name, parameters);
      // The response classes are often private implementations of a public interface.
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private StainlessResponses() {}
}
