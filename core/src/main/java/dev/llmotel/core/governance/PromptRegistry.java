package dev.llmotel.core.governance;

import dev.llmotel.core.Json;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prompt versions the operator declared without a code change, in a JSON file:
 * <pre>{"prompts": [
 *   {"fingerprint": "3f9a0c1d2e4b5a69", "name": "support-triage", "version": "7"},
 *   {"system_pattern": "You are a weather assistant", "name": "weather", "version": "2"}]}</pre>
 * A fingerprint entry matches exactly; a pattern entry matches its regex against the system
 * instructions. The first matching entry wins. Nothing of the matched text is kept: the registry
 * holds only what the file declared.
 */
final class PromptRegistry {
  static final PromptRegistry EMPTY = new PromptRegistry(Collections.<Entry>emptyList());

  private final List<Entry> entries;

  private PromptRegistry(List<Entry> entries) {
    this.entries = entries;
  }

  static PromptRegistry parse(String json) {
    Object root = Json.parse(json);
    if (!(root instanceof Map)) throw new IllegalArgumentException("the top level must be an object");
    Object prompts = ((Map<?, ?>) root).get("prompts");
    if (!(prompts instanceof List)) throw new IllegalArgumentException("\"prompts\" must be an array");
    List<Entry> entries = new ArrayList<>();
    for (Object o : (List<?>) prompts) {
      if (!(o instanceof Map)) throw new IllegalArgumentException("each prompt must be an object");
      Map<?, ?> m = (Map<?, ?>) o;
      Object name = m.get("name");
      Object version = m.get("version");
      if (!(name instanceof String) || version == null) {
        throw new IllegalArgumentException("each prompt needs a string \"name\" and a \"version\"");
      }
      Object fp = m.get("fingerprint");
      Object pattern = m.get("system_pattern");
      if (fp == null && pattern == null) {
        throw new IllegalArgumentException("prompt " + name + " needs \"fingerprint\" or \"system_pattern\"");
      }
      entries.add(new Entry(fp == null ? null : fp.toString(),
          pattern == null ? null : Pattern.compile(pattern.toString()), (String) name, versionText(version)));
    }
    return new PromptRegistry(entries);
  }

  private static String versionText(Object version) {
    if (version instanceof Double && ((Double) version) == Math.rint((Double) version)) {
      return String.valueOf(((Double) version).longValue());
    }
    return version.toString();
  }

  /**
   * {name, version} of the first entry that matches, or null. Patterns run over the call's system
   * instructions as one text (each part's text followed by a newline) read in place: no copy of
   * the instructions is made, and none is kept.
   */
  String[] find(String fingerprint, LlmCall call) {
    if (entries.isEmpty()) return null;
    return lookup(fingerprint, call.request().systemInstructions().isEmpty() ? null : new SystemText(call.request().systemInstructions()));
  }

  /** {name, version} of the first entry that matches, or null. */
  String[] lookup(String fingerprint, CharSequence systemText) {
    for (Entry e : entries) {
      if (e.fingerprint != null && e.fingerprint.equals(fingerprint)) return new String[] {e.name, e.version};
      if (e.pattern != null && systemText != null && e.pattern.matcher(systemText).find()) {
        return new String[] {e.name, e.version};
      }
    }
    return null;
  }

  /**
   * The text parts of the system instructions, each followed by '\n', as one read-only character
   * sequence over the parts' own strings (what Pattern needs to run over them without a copy).
   */
  static final class SystemText implements CharSequence {
    private final String[] texts;
    private final int[] starts;
    private final int length;
    private int segment;

    SystemText(List<LlmMessage.Part> parts) {
      int count = 0;
      for (LlmMessage.Part p : parts) {
        if (p.content != null && !p.isMedia()) count++;
      }
      texts = new String[count];
      starts = new int[count];
      int at = 0;
      int k = 0;
      for (LlmMessage.Part p : parts) {
        if (p.content == null || p.isMedia()) continue;
        texts[k] = p.content;
        starts[k] = at;
        at += p.content.length() + 1;
        k++;
      }
      length = at;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (index < 0 || index >= length) throw new IndexOutOfBoundsException(String.valueOf(index));
      int s = segment;
      if (index < starts[s] || index >= starts[s] + texts[s].length() + 1) {
        s = 0;
        while (s + 1 < starts.length && starts[s + 1] <= index) s++;
        segment = s;
      }
      int offset = index - starts[s];
      return offset == texts[s].length() ? '\n' : texts[s].charAt(offset);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      if (start < 0 || end > length || start > end) throw new IndexOutOfBoundsException(start + ".." + end);
      StringBuilder sb = new StringBuilder(end - start);
      for (int i = start; i < end; i++) sb.append(charAt(i));
      return sb.toString();
    }

    @Override
    public String toString() {
      return subSequence(0, length).toString();
    }
  }

  private static final class Entry {
    final String fingerprint;
    final Pattern pattern;
    final String name;
    final String version;

    Entry(String fingerprint, Pattern pattern, String name, String version) {
      this.fingerprint = fingerprint;
      this.pattern = pattern;
      this.name = name;
      this.version = version;
    }
  }
}
