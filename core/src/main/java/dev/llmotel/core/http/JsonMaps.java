package dev.llmotel.core.http;

import dev.llmotel.core.Json;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Typed reads of JSON parsed by {@link Json}: a field of another type reads as absent. */
final class JsonMaps {
  static Map<?, ?> map(Object v) {
    return v instanceof Map ? (Map<?, ?>) v : Collections.emptyMap();
  }

  static List<?> list(Object v) {
    return v instanceof List ? (List<?>) v : Collections.emptyList();
  }

  static String string(Object v) {
    return v instanceof String ? (String) v : null;
  }

  static Long longValue(Object v) {
    return v instanceof Number ? ((Number) v).longValue() : null;
  }

  static Double doubleValue(Object v) {
    return v instanceof Number ? ((Number) v).doubleValue() : null;
  }

  /** JSON text of a parsed value (tool arguments, schemas), or the string itself. */
  static String text(Object v) {
    if (v == null) return null;
    return v instanceof String ? (String) v : Json.write(v);
  }

  /** "stop" as a string or a list of strings. */
  static List<String> strings(Object v) {
    if (v instanceof String) return Collections.singletonList((String) v);
    if (!(v instanceof List)) return null;
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (Object o : (List<?>) v) if (o instanceof String) out.add((String) o);
    return out.isEmpty() ? null : out;
  }

  /** Parses a body or event as a JSON object, or null when it is not one. */
  static Map<?, ?> parseObject(String text) {
    if (text == null || text.isEmpty()) return null;
    try {
      Object parsed = Json.parse(text);
      return parsed instanceof Map ? (Map<?, ?>) parsed : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether a request body names its model as a format requires: {@code model} is a string, or,
   * where the URL names the model ({@code pathModel}: Gemini, an Azure deployment), absent.
   */
  static boolean namesModel(Map<?, ?> body, String pathModel) {
    Object model = body.get("model");
    return model instanceof String || (pathModel != null && !body.containsKey("model"));
  }

  /** Whether a value is a JSON array whose every element is an object (messages, contents). */
  static boolean isListOfObjects(Object v) {
    if (!(v instanceof List)) return false;
    for (Object o : (List<?>) v) if (!(o instanceof Map)) return false;
    return true;
  }

  /** Whether a value is a string or an array (a prompt or an input, in the shapes the APIs take). */
  static boolean isStringOrList(Object v) {
    return v instanceof String || v instanceof List;
  }

  private JsonMaps() {}

  /**
   * Whether the JSON text has a member of this name whose value is not null, by a scan of the text
   * (no parse): for skipping stream events that say nothing. The name is matched with its quotes,
   * at any depth; a false positive only costs a parse.
   */
  static boolean hasNonNullMember(String json, String name) {
    String quoted = "\"" + name + "\"";
    for (int at = json.indexOf(quoted); at >= 0; at = json.indexOf(quoted, at + 1)) {
      int i = at + quoted.length();
      while (i < json.length() && Character.isWhitespace(json.charAt(i))) i++;
      if (i >= json.length() || json.charAt(i) != ':') continue;
      i++;
      while (i < json.length() && Character.isWhitespace(json.charAt(i))) i++;
      if (!json.startsWith("null", i)) return true;
    }
    return false;
  }
}
