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
  private static final Map<Class<?>, Method> statusCodes = new ConcurrentHashMap<>();
  private static final Map<Class<?>, Method> headerGetters = new ConcurrentHashMap<>();
  private static final Map<Class<?>, Method> valueGetters = new ConcurrentHashMap<>();

  /** The status code, or null when {@code response} is no SDK HTTP response. */
  static Integer status(Object response) throws ReflectiveOperationException {
    Method m = method(statusCodes, response.getClass(), "statusCode");
    if (m == null) return null;
    Object status = m.invoke(response);
    return status instanceof Integer ? (Integer) status : null;
  }

  /** The first value of a response header, or null. */
  static String header(Object response, String name) throws ReflectiveOperationException {
    Method headers = method(headerGetters, response.getClass(), "headers");
    if (headers == null) return null;
    Object h = headers.invoke(response);
    if (h == null) return null;
    Method values = valueGetters.get(h.getClass());
    if (values == null) {
      values = h.getClass().getMethod("values", String.class);
      values.setAccessible(true);
      valueGetters.put(h.getClass(), values);
    }
    Object list = values.invoke(h, name);
    return list instanceof List && !((List<?>) list).isEmpty() ? String.valueOf(((List<?>) list).get(0)) : null;
  }

  private static Method method(Map<Class<?>, Method> cache, Class<?> type, String name) {
    Method m = cache.get(type);
    if (m != null) return m;
    try {
      m = type.getMethod(name);
      // The response classes are often private implementations of a public interface.
      m.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
    cache.put(type, m);
    return m;
  }

  private StainlessResponses() {}
}
