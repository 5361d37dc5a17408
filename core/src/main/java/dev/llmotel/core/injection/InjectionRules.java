package dev.llmotel.core.injection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that flag text from outside the model (a tool's result, a retrieved document) as a
 * suspected indirect prompt injection: text written to be read by the model as instructions. Version
 * {@value #VERSION}; each rule is documented in docs/chaos-and-replay.md ("Injection detection") with
 * the payloads it is meant to catch and what ordinary text it must leave alone.
 *
 * <p>Cost is bounded: at most {@value #MAX_SCANNED_CHARS} characters of a text are scanned, each rule is
 * one regular expression with bounded repetition (or a character count), so a scan is linear in the
 * scanned length. A hit is a signal for a person, never a refusal: the text reaches the model unchanged.
 */
public final class InjectionRules {
  public static final String VERSION = "1";
  /** Beyond this, a text is not scanned further (a tool result of megabytes costs what 256 KiB costs). */
  public static final int MAX_SCANNED_CHARS = 256 * 1024;
  /** Invisible characters (zero-width, bidi controls) in one text from which it is flagged as hiding text. */
  static final int INVISIBLE_RUN = 3;

  public static final String IGNORE_INSTRUCTIONS = "ignore-instructions";
  public static final String ROLE_OVERRIDE = "role-override";
  public static final String REVEAL_SECRETS = "reveal-secrets";
  public static final String TOOL_DIRECTIVE = "tool-directive";
  public static final String EXFILTRATION_LINK = "exfiltration-link";
  public static final String HIDDEN_TEXT = "hidden-text";

  /** One rule that matched: its id and the character offset of the first match in the text. */
  public static final class Hit {
    public final String rule;
    public final int position;

    Hit(String rule, int position) {
      this.rule = rule;
      this.position = position;
    }

    @Override
    public String toString() {
      return rule + "@" + position;
    }
  }

  private static final class Rule {
    final String id;
    final Pattern pattern;

    Rule(String id, String regex) {
      this.id = id;
      this.pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.MULTILINE);
    }
  }

  /** Up to 40 characters within one sentence (a period inside a word, as in a domain name, does not end it). */
  private static final String SPAN = "(?:[^.!?\\n]|\\.(?=\\S)){0,40}";

  private static final List<Rule> RULES = Collections.unmodifiableList(Arrays.asList(
      // "Ignore all previous instructions", "disregard the system prompt", "forget your earlier rules".
      new Rule(IGNORE_INSTRUCTIONS, "\\b(?:ignore|disregard|forget|override|bypass)\\b" + SPAN
          + "\\b(?:previous|prior|above|earlier|preceding|all|any|system|your|original)\\b" + SPAN
          + "\\b(?:instructions?|prompts?|rules|directives|guidelines|guardrails|policies)\\b"),
      // Text that claims to be a new system turn or a new identity for the assistant.
      new Rule(ROLE_OVERRIDE, "(?:<\\|im_start\\|>|<\\|system\\|>|\\[/?INST\\]|\\[SYSTEM\\]|<<SYS>>"
          + "|^\\s*#{1,3}\\s*(?:new\\s+)?system(?:\\s+prompt)?\\s*:?\\s*$"
          + "|\\b(?:new|updated|real|actual)\\s+(?:system\\s+)?instructions\\s*:"
          + "|\\byou\\s+are\\s+now\\s+(?:a|an|in|the|no\\s+longer)\\b"
          + "|\\bfrom\\s+now\\s+on,?\\s+you\\s+(?:are|will|must)\\b)"),
      // Asks the model to disclose what it must keep: its prompt, keys, credentials.
      new Rule(REVEAL_SECRETS, "\\b(?:reveal|print|output|repeat|leak|disclose|send|dump|exfiltrate)\\b" + SPAN
          + "\\b(?:your|the)\\s+(?:system\\s+prompt|initial\\s+instructions|hidden\\s+instructions|instructions\\s+above"
          + "|api[\\s_-]?keys?|secrets?|credentials|passwords?|access\\s+tokens?|private\\s+keys?|conversation\\s+history)\\b"),
      // Tells the model to call a tool, covertly or at once: the agent acting on the document's behalf.
      new Rule(TOOL_DIRECTIVE, "\\b(?:call|invoke|execute|run|use|trigger)\\b" + SPAN + "\\b(?:tool|function|plugin|action)\\b"
          + "(?:[^.!?\\n]|\\.(?=\\S)){0,100}\\b(?:immediately|right\\s+away|without\\s+(?:asking|telling|confirmation|confirming|informing|"
          + "notifying|mentioning)|do\\s+not\\s+(?:tell|inform|mention|notify|ask)|silently|secretly)\\b"),
      // A markdown or HTML image whose URL carries data in its query: rendering it sends the data away.
      new Rule(EXFILTRATION_LINK, "(?:!\\[[^\\]\\n]{0,100}\\]\\(\\s*|<img\\b[^>]{0,200}?\\bsrc\\s*=\\s*[\"']?)"
          + "https?://[^)\\s\"'>]{1,300}?[?&][^)\\s\"'>]{0,300}?(?:\\{|%7b|\\$\\{|<|\\b(?:data|q|secret|token|key|apikey"
          + "|api_key|password|conversation|history|prompt|session|chat|msg|message)=)")));

  private InjectionRules() {}

  /** The ids of every rule, in the order they are tried. */
  public static List<String> ids() {
    List<String> out = new ArrayList<>();
    for (Rule r : RULES) out.add(r.id);
    out.add(HIDDEN_TEXT);
    return out;
  }

  /** The rules the text sets off, each once, at its first match; empty for ordinary text. Never throws. */
  public static List<Hit> scan(String text) {
    if (text == null || text.isEmpty()) return Collections.emptyList();
    CharSequence scanned = text.length() > MAX_SCANNED_CHARS ? text.subSequence(0, MAX_SCANNED_CHARS) : text;
    List<Hit> hits = null;
    for (Rule r : RULES) {
      try {
        Matcher m = r.pattern.matcher(scanned);
        if (m.find()) {
          if (hits == null) hits = new ArrayList<>(2);
          hits.add(new Hit(r.id, m.start()));
        }
      } catch (StackOverflowError | RuntimeException e) {
        // a pathological input: that rule is skipped for this text, the others still run
      }
    }
    int hidden = hiddenText(scanned);
    if (hidden >= 0) {
      if (hits == null) hits = new ArrayList<>(1);
      hits.add(new Hit(HIDDEN_TEXT, hidden));
    }
    return hits == null ? Collections.<Hit>emptyList() : hits;
  }

  /**
   * Where text is hidden from a person reading it: any Unicode tag character (U+E0000..U+E007F, which
   * spell ASCII invisibly), or {@value #INVISIBLE_RUN} or more zero-width or bidi-control characters in
   * the text (a zero-width joiner between emoji is ordinary and not counted). Returns the offset of the
   * first such character, or -1.
   */
  static int hiddenText(CharSequence s) {
    int invisible = 0;
    int first = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\uDB40' && i + 1 < s.length()) {
        char low = s.charAt(i + 1);
        if (low >= '\uDC00' && low <= '\uDC7F') return i; // U+E0000..U+E007F
      }
      if ((c >= '\u200B' && c <= '\u200C') || (c >= '\u200E' && c <= '\u200F') || (c >= '\u202A' && c <= '\u202E')
          || (c >= '\u2060' && c <= '\u2064') || (c >= '\u2066' && c <= '\u2069') || (c == '\uFEFF' && i > 0)) {
        if (first < 0) first = i;
        if (++invisible >= INVISIBLE_RUN) return first;
      }
    }
    return -1;
  }
}
