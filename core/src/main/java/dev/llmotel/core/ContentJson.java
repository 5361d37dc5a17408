package dev.llmotel.core;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes captured content as JSON strings in the GenAI semantic-convention message schema. Text is
 * redacted (API keys and bearer tokens never leave the process) and the text of one attribute is cut
 * to a character budget, so the JSON stays valid however large the prompt.
 */
public final class ContentJson {
  static final String TRUNCATED_MARKER = "…[truncated]";
  static final String REDACTED = "[REDACTED]";

  // Common secret formats; more rules come from configuration (issue 5).
  private static final Pattern SECRETS = Pattern.compile(
      "(sk-(?:ant-|proj-)?[A-Za-z0-9_\\-]{16,})"
          + "|((?i:bearer)\\s+[A-Za-z0-9._~+/\\-]{8,}=*)"
          + "|(AKIA[0-9A-Z]{16})"
          + "|(AIza[0-9A-Za-z_\\-]{35})");

  private final StringBuilder out = new StringBuilder(256);
  private int budget;
  private boolean truncated;

  private ContentJson(int budget) {
    this.budget = budget;
  }

  /** The result of one rendering: the JSON and whether any text was cut. */
  public static final class Rendered {
    public final String json;
    public final boolean truncated;

    Rendered(String json, boolean truncated) {
      this.json = json;
      this.truncated = truncated;
    }
  }

  public static Rendered messages(List<LlmMessage> messages, int maxChars) {
    ContentJson w = new ContentJson(maxChars);
    w.out.append('[');
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) w.out.append(',');
      w.message(messages.get(i));
    }
    w.out.append(']');
    return new Rendered(w.out.toString(), w.truncated);
  }

  public static Rendered parts(List<LlmMessage.Part> parts, int maxChars) {
    ContentJson w = new ContentJson(maxChars);
    w.partsArray(parts);
    return new Rendered(w.out.toString(), w.truncated);
  }

  public static Rendered tools(List<ToolDefinition> tools, int maxChars) {
    ContentJson w = new ContentJson(maxChars);
    w.out.append('[');
    for (int i = 0; i < tools.size(); i++) {
      ToolDefinition t = tools.get(i);
      if (i > 0) w.out.append(',');
      w.out.append("{\"type\":");
      w.plain(t.type);
      w.out.append(",\"name\":");
      w.plain(t.name);
      if (t.description != null) {
        w.out.append(",\"description\":");
        w.text(t.description);
      }
      w.out.append('}');
    }
    w.out.append(']');
    return new Rendered(w.out.toString(), w.truncated);
  }

  private void message(LlmMessage m) {
    out.append("{\"role\":");
    plain(m.role());
    out.append(",\"parts\":");
    partsArray(m.parts());
    if (m.finishReason() != null) {
      out.append(",\"finish_reason\":");
      plain(m.finishReason());
    }
    out.append('}');
  }

  private void partsArray(List<LlmMessage.Part> parts) {
    out.append('[');
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) out.append(',');
      part(parts.get(i));
    }
    out.append(']');
  }

  private void part(LlmMessage.Part p) {
    out.append("{\"type\":");
    plain(p.type);
    if (p.id != null) {
      out.append(",\"id\":");
      plain(p.id);
    }
    if (p.name != null) {
      out.append(",\"name\":");
      plain(p.name);
    }
    if (LlmMessage.Part.TOOL_CALL.equals(p.type)) {
      if (p.arguments != null) {
        out.append(",\"arguments\":");
        text(p.arguments);
      }
    } else if (LlmMessage.Part.TOOL_CALL_RESPONSE.equals(p.type)) {
      out.append(",\"response\":");
      text(p.content);
    } else {
      out.append(",\"content\":");
      text(p.content);
    }
    out.append('}');
  }

  /** Writes identifiers and enum-like values: not user text, so neither redacted nor budgeted. */
  private void plain(String s) {
    if (s == null) {
      out.append("null");
    } else {
      quote(s);
    }
  }

  /** Writes user or model text: redacted, then cut to what is left of the budget. */
  private void text(String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    String value = redact(s);
    if (value.length() > budget) {
      value = value.substring(0, Math.max(0, safeCut(value, budget))) + TRUNCATED_MARKER;
      budget = 0;
      truncated = true;
    } else {
      budget -= value.length();
    }
    quote(value);
  }

  /** Never cuts between the two halves of a surrogate pair. */
  private static int safeCut(String s, int index) {
    if (index > 0 && index < s.length() && Character.isHighSurrogate(s.charAt(index - 1))) {
      return index - 1;
    }
    return index;
  }

  public static String redact(String s) {
    Matcher m = SECRETS.matcher(s);
    if (!m.find()) return s;
    return m.replaceAll(REDACTED);
  }

  private void quote(String s) {
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
  }
}
