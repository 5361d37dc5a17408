package dev.llmotel.core;

import java.util.List;

/**
 * Writes captured content as JSON strings in the GenAI semantic-convention message schema. Text is
 * redacted (API keys and bearer tokens never leave the process) and the text of one attribute is cut
 * to the attribute's character cap, so the JSON stays valid however large the prompt.
 */
public final class ContentJson {
  static final String TRUNCATED_MARKER = "…[truncated]";

  /**
   * Text this far beyond the budget is redacted along with what is kept, so that a secret that
   * straddles the cut is still recognised whole and never leaks in part.
   */
  private static final int REDACTION_MARGIN = 4096;

  private final StringBuilder out = new StringBuilder(256);
  /** The most characters the attribute may have: text and its JSON frame together. */
  private final int maxChars;
  private boolean truncated;

  private ContentJson(int maxChars) {
    this.maxChars = maxChars;
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
      if (w.exhausted()) {
        w.truncated = true; // the messages after the budget ran out are left out whole
        break;
      }
      if (i > 0) w.out.append(',');
      w.message(messages.get(i));
    }
    w.out.append(']');
    return new Rendered(w.out.toString(), w.truncated);
  }

  /** One piece of text (a tool's arguments or result), redacted and capped, as it is: not JSON-wrapped. */
  public static Rendered plainText(String text, int maxChars) {
    ContentJson w = new ContentJson(maxChars);
    String value = w.redactAndCut(text);
    return new Rendered(value, w.truncated);
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
      if (w.exhausted()) {
        w.truncated = true;
        break;
      }
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

  /** The attribute is full and a cut was made: what follows would only repeat the marker. */
  private boolean exhausted() {
    return truncated && out.length() >= maxChars;
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
    } else if (p.isMedia()) {
      media(p);
    } else {
      out.append(",\"content\":");
      text(p.content);
    }
    out.append('}');
  }

  /**
   * Media as the GenAI conventions' parts, never with content bytes (none are kept, and no base64
   * is ever written): a blob ({@code type: "blob"}) with its modality and {@code mime_type}; a file
   * with its {@code file_id}; a URI with its {@code uri}, redacted and budgeted like text (a signed
   * URL's query can carry a credential). A {@code data:} URI never gets here (it is a blob).
   */
  private void media(LlmMessage.Part p) {
    out.append(",\"modality\":");
    plain(p.modality);
    if (p.mimeType != null) {
      out.append(",\"mime_type\":");
      plain(p.mimeType);
    }
    if (LlmMessage.Part.FILE.equals(p.type)) {
      out.append(",\"file_id\":");
      plain(p.content);
    } else if (LlmMessage.Part.URI.equals(p.type)) {
      out.append(",\"uri\":");
      if (p.content != null && p.content.regionMatches(true, 0, "data:", 0, 5)) {
        plain("data:"); // never the payload
      } else {
        text(p.content);
      }
    }
  }

  /** Writes identifiers and enum-like values: not user text, so neither redacted nor budgeted. */
  private void plain(String s) {
    if (s == null) {
      out.append("null");
    } else {
      quote(s);
    }
  }

  /**
   * Writes user or model text: redacted, then cut to what is left of the attribute's size. The frame
   * around the text (roles, keys, ids) counts too, so a thousand short messages are capped like one
   * long one.
   */
  private void text(String s) {
    if (s == null) {
      out.append("null");
      return;
    }
    quote(redactAndCut(s));
  }

  private String redactAndCut(String s) {
    // Cut before redacting: a 10 MB prompt is not scanned in full for a 16 KB attribute.
    int budget = Math.max(0, maxChars - out.length());
    boolean cutEarly = s.length() > budget + REDACTION_MARGIN;
    String value = redact(cutEarly ? s.substring(0, safeCut(s, budget + REDACTION_MARGIN)) : s);
    if (cutEarly || value.length() > budget) {
      value = value.substring(0, safeCut(value, Math.min(budget, value.length()))) + TRUNCATED_MARKER;
      truncated = true;
    }
    return value;
  }

  /** Never cuts between the two halves of a surrogate pair. */
  private static int safeCut(String s, int index) {
    if (index > 0 && index < s.length() && Character.isHighSurrogate(s.charAt(index - 1))) {
      return index - 1;
    }
    return index;
  }

  public static String redact(String s) {
    return Redactor.get().redact(s);
  }

  private void quote(String s) {
    Json.appendQuoted(out, s);
  }

}
