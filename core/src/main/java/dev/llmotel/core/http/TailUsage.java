package dev.llmotel.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;

/**
 * The usage object of a JSON body too large to keep whole: the APIs write it last ("usage" for
 * OpenAI and Anthropic, "usageMetadata" for Gemini), so the last copy of the body holds it. Found
 * by name and parsed as a balanced object; returned wrapped under its name, as a whole body has it.
 */
final class TailUsage {
  static Map<?, ?> find(byte[] tail) {
    String text = new String(tail, StandardCharsets.UTF_8);
    for (String name : new String[] {"\"usageMetadata\"", "\"usage\""}) {
      int at = text.lastIndexOf(name);
      if (at < 0) continue;
      int open = text.indexOf('{', at + name.length());
      if (open < 0) continue;
      int close = balancedEnd(text, open);
      if (close < 0) continue;
      Map<?, ?> usage = JsonMaps.parseObject(text.substring(open, close + 1));
      if (usage != null) return Collections.singletonMap(name.substring(1, name.length() - 1), usage);
    }
    return null;
  }

  /** The index of the brace closing the object opened at {@code open}, skipping strings; -1 if cut. */
  private static int balancedEnd(String s, int open) {
    int depth = 0;
    boolean inString = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  private TailUsage() {}
}
