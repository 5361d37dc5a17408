package dev.llmotel.testkit.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Builds JSON text from fuzzer input, shaped like provider payloads: objects whose keys come mostly
 * from the provider's own vocabulary, with values of any type, so the fuzzer reaches the mappers
 * instead of stopping at the JSON parser. Sometimes the text is cut or has a raw byte spliced in.
 */
public final class FuzzJson {
  private final FuzzedDataProvider data;
  private final String[] keys;

  public FuzzJson(FuzzedDataProvider data, String... keys) {
    this.data = data;
    this.keys = keys;
  }

  public String object(int depth) {
    StringBuilder sb = new StringBuilder("{");
    int n = data.consumeInt(0, depth == 0 ? 8 : 4);
    for (int i = 0; i < n; i++) {
      if (i > 0) sb.append(',');
      String key = data.consumeBoolean() ? keys[data.consumeInt(0, keys.length - 1)] : data.consumeString(8);
      sb.append(quote(key)).append(':').append(value(depth + 1));
    }
    return sb.append('}').toString();
  }

  public String value(int depth) {
    switch (data.consumeInt(0, depth > 4 ? 5 : 7)) {
      case 0: return quote(data.consumeString(40));
      case 1: return Long.toString(data.consumeLong());
      case 2: return Double.toString(data.consumeDouble()).replace("Infinity", "1e400").replace("NaN", "0");
      case 3: return data.consumeBoolean() ? "true" : "false";
      case 4: return "null";
      case 5: return Integer.toString(data.consumeInt(-5, 100));
      case 6: {
        StringBuilder sb = new StringBuilder("[");
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) sb.append(i > 0 ? "," : "").append(value(depth + 1));
        return sb.append(']').toString();
      }
      default: return object(depth + 1);
    }
  }

  /** Now and then a cut or a spliced byte: what a broken proxy or a cut connection delivers. */
  public String damage(String json) {
    if (json.isEmpty() || !data.consumeBoolean()) return json;
    int at = data.consumeInt(0, json.length() - 1);
    return data.consumeBoolean() ? json.substring(0, at) : json.substring(0, at) + data.consumeChar() + json.substring(at);
  }

  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }
}
