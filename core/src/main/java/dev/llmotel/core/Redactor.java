package dev.llmotel.core;

import dev.llmotel.core.governance.GovernanceFiles;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Removes secrets and personal data from captured text before it leaves the process. Built in:
 * API keys and tokens of common formats (always on), e-mail addresses and payment card numbers (on
 * unless {@value #BUILTINS} leaves them out). Operators add their own rules in a JSON file
 * ({@value #RULES_FILE}): {@code {"rules": [{"pattern": "TCK-[0-9]+", "replacement": "[TICKET]"}]}},
 * applied after the built-ins; a replacement is literal text. Captured text is data: it is matched
 * against patterns and copied, never evaluated.
 */
public final class Redactor {
  public static final String BUILTINS = "otel.instrumentation.llm-otel.redaction.builtins";
  public static final String RULES_FILE = "otel.instrumentation.llm-otel.redaction.rules-file";
  static final String KEY_REPLACEMENT = "[REDACTED]";
  static final String EMAIL_REPLACEMENT = "[EMAIL]";
  static final String CARD_REPLACEMENT = "[CARD]";

  private static final Logger logger = Logger.getLogger(Redactor.class.getName());

  // Key formats by prefix, so the scan is linear: OpenAI/Anthropic (sk-, sk-ant-, sk-proj-), bearer
  // tokens, AWS access key ids, Google API keys, GitHub and Slack tokens, JWTs, and "key=value" pairs
  // whose name says they hold a secret.
  private static final Pattern KEYS = Pattern.compile(
      "(sk-(?:ant-|proj-)?[A-Za-z0-9_\\-]{16,})"
          + "|((?i:bearer)\\s+[A-Za-z0-9._~+/\\-]{8,}=*)"
          + "|((?:AKIA|ASIA)[0-9A-Z]{16})"
          + "|(AIza[0-9A-Za-z_\\-]{35})"
          + "|(gh[pousr]_[A-Za-z0-9]{36,})"
          + "|(xox[abprs]-[A-Za-z0-9\\-]{10,})"
          + "|(eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,})"
          + "|((?i:api[_\\-]?key|secret|password|passwd|access[_\\-]?token)\\s*[:=]\\s*[\"']?[^\\s\"',;]{6,})");
  private static final Pattern CARD = Pattern.compile("(?<![0-9])[0-9](?:[ \\-]?[0-9]){12,18}(?![0-9])");

  private static final Redactor INSTANCE = fromConfig();

  private final boolean emails;
  private final boolean cards;
  private final List<Rule> rules;

  Redactor(boolean emails, boolean cards, List<Rule> rules) {
    this.emails = emails;
    this.cards = cards;
    this.rules = rules;
  }

  public static Redactor get() {
    return INSTANCE;
  }

  /** The text with every secret and every match of a rule replaced. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) return text;
    // One cheap pass decides which scans can match at all: most text has no key prefix, no '@' and
    // no run of card-length digits, and the regular expressions then never run (streamed answers
    // and long prompts are redacted on every captured call).
    int hints = hints(text);
    String out = (hints & HINT_KEY) != 0 ? replaceAll(KEYS.matcher(text), text, KEY_REPLACEMENT) : text;
    if (emails && (hints & HINT_AT) != 0) out = redactEmails(out);
    if (cards && (hints & HINT_DIGITS) != 0) out = redactCards(out);
    for (Rule rule : rules) out = replaceAll(rule.pattern.matcher(out), out, rule.replacement);
    return out;
  }

  static final int HINT_KEY = 1;
  private static final int HINT_AT = 2;
  private static final int HINT_DIGITS = 4;
  private static final String[] KEY_STARTS = {"sk-", "bearer", "akia", "asia", "aiza", "ghp_", "gho_", "ghu_",
      "ghs_", "ghr_", "xox", "eyj", "api", "secret", "passw", "access"};

  /** Which scans may match: a key's first letters, an '@', 13 digits in a row (spaces and dashes allowed). */
  static int hints(String text) {
    int hints = 0;
    int digitsInRun = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digitsInRun >= 13) hints |= HINT_DIGITS;
        continue;
      }
      if (c != ' ' && c != '-') digitsInRun = 0;
      if (c == '@') {
        hints |= HINT_AT;
      } else if ((hints & HINT_KEY) == 0 && startsKey(text, i, c)) {
        hints |= HINT_KEY;
      }
    }
    return hints;
  }

  private static boolean startsKey(String text, int i, char c) {
    char lower = Character.toLowerCase(c);
    if (lower != 's' && lower != 'b' && lower != 'a' && lower != 'g' && lower != 'x' && lower != 'e'
        && lower != 'p') {
      return false;
    }
    for (String start : KEY_STARTS) {
      if (start.charAt(0) == lower && text.regionMatches(true, i, start, 0, start.length())) return true;
    }
    return false;
  }

  private static String replaceAll(Matcher m, String text, String replacement) {
    if (!m.find()) return text;
    return m.replaceAll(Matcher.quoteReplacement(replacement));
  }

  /**
   * Finds addresses around each '@' by hand: a regular expression with a repeated local part would
   * backtrack quadratically over a long run of letters without an '@'.
   */
  static String redactEmails(String text) {
    StringBuilder out = null;
    int copied = 0;
    int at = text.indexOf('@');
    while (at >= 0) {
      int start = at;
      while (start > copied && isLocalChar(text.charAt(start - 1))) start--;
      int end = at + 1;
      while (end < text.length() && isDomainChar(text.charAt(end))) end++;
      while (end > at + 1 && text.charAt(end - 1) == '.') end--; // a sentence's full stop
      int lastDot = text.lastIndexOf('.', end - 1);
      if (start < at && lastDot > at + 1 && lastDot < end - 2 && tldIsLetters(text, lastDot + 1, end)) {
        if (out == null) out = new StringBuilder(text.length());
        out.append(text, copied, start).append(EMAIL_REPLACEMENT);
        copied = end;
      }
      at = text.indexOf('@', Math.max(end, at + 1));
    }
    if (out == null) return text;
    return out.append(text, copied, text.length()).toString();
  }

  private static boolean isLocalChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean isDomainChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.' || c == '-';
  }

  private static boolean tldIsLetters(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isLetter(text.charAt(i))) return false;
    }
    return to - from >= 2;
  }

  /** Digit runs of card length that pass the Luhn check: order numbers and phone numbers mostly stay. */
  static String redactCards(String text) {
    Matcher m = CARD.matcher(text);
    StringBuilder out = null;
    int copied = 0;
    while (m.find()) {
      if (!luhn(m.group())) continue;
      if (out == null) out = new StringBuilder(text.length());
      out.append(text, copied, m.start()).append(CARD_REPLACEMENT);
      copied = m.end();
    }
    if (out == null) return text;
    return out.append(text, copied, text.length()).toString();
  }

  static boolean luhn(String digitsWithSeparators) {
    int sum = 0;
    boolean doubleIt = false;
    for (int i = digitsWithSeparators.length() - 1; i >= 0; i--) {
      char c = digitsWithSeparators.charAt(i);
      if (c < '0' || c > '9') continue;
      int d = c - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
      doubleIt = !doubleIt;
    }
    return sum % 10 == 0;
  }

  // ---- configuration ----

  static final class Rule {
    final Pattern pattern;
    final String replacement;

    Rule(Pattern pattern, String replacement) {
      this.pattern = pattern;
      this.replacement = replacement;
    }
  }

  private static Redactor fromConfig() {
    boolean emails = true;
    boolean cards = true;
    String builtins = LlmOtelConfig.raw(BUILTINS);
    if (builtins != null && !builtins.isEmpty()) {
      emails = false;
      cards = false;
      for (String name : builtins.toLowerCase(Locale.ROOT).split(",")) {
        switch (name.trim()) {
          case "emails": emails = true; break;
          case "cards": cards = true; break;
          case "keys": case "none": case "": break; // keys are always redacted
          default:
            ConfigProblems.report(logger, "llm-otel: unknown built-in redaction ''{0}'' in {1} (known: keys, "
                + "emails, cards); ignored", new Object[] {name.trim(), BUILTINS});
        }
      }
    }
    return new Redactor(emails, cards, rules(LlmOtelConfig.raw(RULES_FILE)));
  }

  static List<Rule> rules(String path) {
    if (path == null || path.isEmpty()) return Collections.emptyList();
    try {
      return parseRules(GovernanceFiles.read(path), path);
    } catch (Exception e) {
      ConfigProblems.report(logger, "llm-otel: cannot use redaction rules file {0} ({1}); only the built-in "
          + "redactions apply", new Object[] {path, e.getMessage()});
      return Collections.emptyList();
    }
  }

  @SuppressWarnings("unchecked")
  static List<Rule> parseRules(String json, String source) {
    Object root = Json.parse(json);
    Object list = root instanceof Map ? ((Map<String, Object>) root).get("rules") : null;
    if (!(list instanceof List)) throw new IllegalArgumentException("expected {\"rules\": [...]}");
    List<Rule> rules = new ArrayList<>();
    int index = 0;
    for (Object item : (List<Object>) list) {
      index++;
      Object pattern = item instanceof Map ? ((Map<String, Object>) item).get("pattern") : null;
      Object replacement = item instanceof Map ? ((Map<String, Object>) item).get("replacement") : null;
      if (!(pattern instanceof String) || ((String) pattern).isEmpty()) {
        ConfigProblems.report(logger, "llm-otel: redaction rule {0} in {1} has no pattern; skipped",
            new Object[] {index, source});
        continue;
      }
      try {
        rules.add(new Rule(Pattern.compile((String) pattern),
            replacement instanceof String ? (String) replacement : KEY_REPLACEMENT));
      } catch (PatternSyntaxException e) {
        ConfigProblems.report(logger, "llm-otel: redaction rule {0} in {1} is not a valid regular expression "
            + "({2}); skipped", new Object[] {index, source, e.getDescription()});
      }
    }
    return Collections.unmodifiableList(rules);
  }
}
