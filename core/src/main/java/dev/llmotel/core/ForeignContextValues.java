package dev.llmotel.core;

import io.opentelemetry.context.Context;
import java.lang.reflect.Field;

/**
 * Values another copy of llm-otel (in another class loader: the JDK HttpClient's copy lives in the
 * platform class loader) put into a context. Context keys compare by identity, so that copy's keys
 * are found by their names, and its values are read by what their {@code toString} shows. The
 * context's own entries are read where its class keeps them in an array of key, value pairs (the
 * SDK's ArrayBasedContext): rendering the whole context as text instead, as the fallback does, renders
 * every span in it with all its attributes, on every plain HTTP request to an LLM endpoint.
 */
public final class ForeignContextValues {
  private static volatile Entries entries;

  /** The text of the value under the first key of this name, or null when there is none. */
  public static String valueText(Context context, String keyName) {
    if (context == null) return null;
    Object[] pairs = entries(context);
    if (pairs == null) return fromText(context.toString(), keyName);
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      Object key = pairs[i];
      if (key != null && keyName.equals(key.toString())) return String.valueOf(pairs[i + 1]);
    }
    return null;
  }

  /**
   * Whether a value under a key of this name shows exactly this text: each copy of llm-otel has a key of
   * that name, so the context may hold several.
   */
  public static boolean hasValue(Context context, String keyName, String text) {
    if (context == null) return false;
    Object[] pairs = entries(context);
    if (pairs == null) return context.toString().contains(keyName + "=" + text);
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      Object key = pairs[i];
      if (key != null && keyName.equals(key.toString()) && text.equals(String.valueOf(pairs[i + 1]))) return true;
    }
    return false;
  }

  /** In a context's text, {@code {key=value, key=value}}: the value after {@code keyName=}, up to the next entry. */
  static String fromText(String text, String keyName) {
    int at = text.indexOf(keyName + "=");
    if (at < 0) return null;
    int start = at + keyName.length() + 1;
    int end = text.indexOf(", ", start);
    if (end < 0) end = text.lastIndexOf('}');
    return end < start ? text.substring(start) : text.substring(start, end);
  }

  private static Object[] entries(Context context) {
    Entries e = entries;
    if (e == null || e.type != context.getClass()) entries = e = new Entries(context.getClass());
    if (e.field == null) return null;
    try {
      return (Object[]) e.field.get(context);
    } catch (Throwable t) {
      return null;
    }
  }

  /** A context class's array of key, value pairs, or null when it keeps its entries otherwise. */
  private static final class Entries {
    final Class<?> type;
    final Field field;

    Entries(Class<?> type) {
      this.type = type;
      this.field = pairsField(type);
    }

    private static Field pairsField(Class<?> type) {
      if (!type.getName().endsWith(".ArrayBasedContext")) return null;
      try {
        Field f = type.getDeclaredField("entries");
        if (f.getType() != Object[].class) return null;
        f.setAccessible(true);
        return f;
      } catch (Throwable t) {
        return null;
      }
    }
  }

  private ForeignContextValues() {}
}
