package dev.llmotel.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for our own configuration files (policies, prices, prompt registry):
 * objects become {@code Map<String,Object>}, arrays {@code List<Object>}, numbers {@code Double}.
 * We bundle no JSON library: a shaded one costs a thousand helper classes in every application.
 */
public final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  /** Parses a whole document; throws IllegalArgumentException with the position of the first error. */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWs();
    Object v = p.value(0);
    p.skipWs();
    if (p.i != p.s.length()) throw p.error("unexpected text after the document");
    return v;
  }

  private Object value(int depth) {
    if (depth > 64) throw error("nesting deeper than 64");
    if (i >= s.length()) throw error("unexpected end");
    char c = s.charAt(i);
    switch (c) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': return string();
      case 't': return literal("true", Boolean.TRUE);
      case 'f': return literal("false", Boolean.FALSE);
      case 'n': return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> map = new LinkedHashMap<>();
    i++;
    skipWs();
    if (peek('}')) { i++; return map; }
    while (true) {
      skipWs();
      if (!peek('"')) throw error("expected a string key");
      String key = string();
      skipWs();
      expect(':');
      skipWs();
      map.put(key, value(depth + 1));
      skipWs();
      if (peek(',')) { i++; continue; }
      expect('}');
      return map;
    }
  }

  private List<Object> array(int depth) {
    List<Object> list = new ArrayList<>();
    i++;
    skipWs();
    if (peek(']')) { i++; return list; }
    while (true) {
      skipWs();
      list.add(value(depth + 1));
      skipWs();
      if (peek(',')) { i++; continue; }
      expect(']');
      return list;
    }
  }

  private String string() {
    i++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (i >= s.length()) throw error("unterminated string");
      char c = s.charAt(i++);
      if (c == '"') return sb.toString();
      if (c == '\\') {
        if (i >= s.length()) throw error("unterminated escape");
        char e = s.charAt(i++);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (i + 4 > s.length()) throw error("short unicode escape");
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("bad unicode escape");
            }
            i += 4;
            break;
          default: throw error("bad escape \\" + e);
        }
      } else if (c < 0x20) {
        throw error("control character in string");
      } else {
        sb.append(c);
      }
    }
  }

  private Double number() {
    int start = i;
    if (peek('-')) i++;
    while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
    try {
      return Double.valueOf(s.substring(start, i));
    } catch (NumberFormatException e) {
      throw error("bad number");
    }
  }

  private Object literal(String word, Object value) {
    if (!s.startsWith(word, i)) throw error("unexpected token");
    i += word.length();
    return value;
  }

  private boolean peek(char c) {
    return i < s.length() && s.charAt(i) == c;
  }

  private void expect(char c) {
    if (!peek(c)) throw error("expected '" + c + "'");
    i++;
  }

  private void skipWs() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
  }

  private IllegalArgumentException error(String what) {
    int line = 1;
    for (int k = 0; k < Math.min(i, s.length()); k++) if (s.charAt(k) == '\n') line++;
    return new IllegalArgumentException(what + " at line " + line + " (offset " + i + ")");
  }

  /** JSON text of what {@link #parse} returns (maps, lists, strings, numbers, booleans, null). */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String) {
      appendQuoted(out, (String) v);
    } else if (v instanceof Double && ((Double) v) == Math.rint((Double) v) && !((Double) v).isInfinite()
        && Math.abs((Double) v) < 1e15) {
      out.append(((Double) v).longValue()); // whole numbers as the API wrote them
    } else if (v instanceof Number || v instanceof Boolean) {
      out.append(v);
    } else if (v instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) out.append(',');
        first = false;
        appendQuoted(out, String.valueOf(e.getKey()));
        out.append(':');
        write(out, e.getValue());
      }
      out.append('}');
    } else if (v instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) out.append(',');
        first = false;
        write(out, o);
      }
      out.append(']');
    } else {
      appendQuoted(out, String.valueOf(v));
    }
  }

  /** Appends s as a JSON string: escaped, with lone surrogates replaced (they are not valid UTF-8). */
  static void appendQuoted(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
            out.append("\\ufffd"); // a lone surrogate is not valid UTF-8 on the wire
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }


  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }}
