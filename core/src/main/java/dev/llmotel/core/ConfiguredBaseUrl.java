package dev.llmotel.core;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The base URL a framework's model object was configured with, for {@code server.address} and
 * {@code server.port} at the start of its span: frameworks keep it on the model or on its client
 * (LangChain4j's {@code OpenAiChatModel.client.baseUrl}, Spring AI 1.x's {@code
 * OpenAiChatModel.openAiApi.getBaseUrl()}, 2.0's {@code options.getBaseUrl()}), rarely public. Read
 * by a public {@code getBaseUrl()}/{@code baseUrl()} or a {@code baseUrl} field, on the object or one
 * of its fields named like a client, API or options, two levels deep at most. The fields to read are
 * found once per class.
 */
public final class ConfiguredBaseUrl {
  private static final int MAX_DEPTH = 2;

  private static final ClassValue<Reader> READERS = new ClassValue<Reader>() {
    @Override
    protected Reader computeValue(Class<?> type) {
      return readerFor(type);
    }
  };

  /** The base URL, or null when the object has none we can find. */
  public static String of(Object model) {
    return of(model, 0);
  }

  private static String of(Object target, int depth) {
    if (target == null || depth > MAX_DEPTH) return null;
    try {
      Reader reader = READERS.get(target.getClass());
      Object own = reader.own(target);
      if (own != null) return String.valueOf(own);
      for (Field f : reader.nested) {
        String url = of(f.get(target), depth + 1);
        if (url != null) return url;
      }
    } catch (Throwable t) {
      // a shape we cannot read: no address at start (the HTTP span below still has it)
    }
    return null;
  }

  private static final class Reader {
    Method method;
    Field field;
    final List<Field> nested = new ArrayList<>();

    Object own(Object target) throws ReflectiveOperationException {
      Object url = method != null ? method.invoke(target) : field != null ? field.get(target) : null;
      if (url instanceof java.net.URI || url instanceof java.net.URL) return url.toString();
      return url instanceof String && !((String) url).isEmpty() ? url : null;
    }
  }

  private static Reader readerFor(Class<?> type) {
    Reader reader = new Reader();
    if (type.getName().startsWith("java.")) return reader;
    for (String name : new String[] {"getBaseUrl", "baseUrl"}) {
      try {
        Method m = type.getMethod(name);
        if (Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
          reader.method = m;
          return reader;
        }
      } catch (NoSuchMethodException | RuntimeException e) {
        // next
      }
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
        String name = f.getName().toLowerCase(Locale.ROOT);
        try {
          if (reader.field == null && name.equals("baseurl")) {
            f.setAccessible(true);
            reader.field = f;
          } else if (name.contains("client") || name.contains("api") || name.equals("options")
              || name.equals("defaultoptions")) {
            f.setAccessible(true);
            reader.nested.add(f);
          }
        } catch (RuntimeException e) {
          // not accessible (a named module): skipped
        }
      }
    }
    return reader;
  }

  private ConfiguredBaseUrl() {}
}
