package dev.llmotel.core.output;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The parts of an answer its validation reads, kept whether or not content is captured, and only
 * for a request that declares a structure (the answer text) or offers tools (the tool calls). Never
 * exported: the span gets the verdict, not the text. Bounded: an answer larger than {@link
 * #MAX_CHARS} in all is not kept, and its check says so.
 */
public final class AnswerForValidation {
  /** About a million tokens of JSON: more than any model answers in one call. */
  public static final int MAX_CHARS = 4 * 1024 * 1024;
  /** Choices (n) kept apart; a request for more is checked on its first ones. */
  static final int MAX_CHOICES = 16;
  static final int MAX_TOOL_CALLS = 128;

  private final List<StringBuilder> texts = new ArrayList<>(1);
  private List<String[]> toolCalls;
  private long chars;
  private boolean overflowed;

  /** Appends answer text of one choice (a whole message, or a stream's delta). */
  public void appendText(int choice, String text) {
    if (text == null || overflowed || choice < 0 || choice >= MAX_CHOICES) return;
    if (chars + text.length() > MAX_CHARS) {
      overflowed = true;
      texts.clear();
      return;
    }
    chars += text.length();
    while (texts.size() <= choice) texts.add(new StringBuilder());
    texts.get(choice).append(text);
  }

  /** A tool call of the answer: the tool's name and its arguments as JSON text. */
  public void addToolCall(String name, String argumentsJson) {
    if (overflowed) return;
    if (toolCalls == null) toolCalls = new ArrayList<>(2);
    if (toolCalls.size() >= MAX_TOOL_CALLS) return;
    String args = argumentsJson == null ? "" : argumentsJson;
    if (chars + args.length() > MAX_CHARS) {
      overflowed = true;
      return;
    }
    chars += args.length();
    toolCalls.add(new String[] {name, args});
  }

  /** The answer text of each choice that had any. */
  List<String> texts() {
    List<String> out = new ArrayList<>(texts.size());
    for (StringBuilder b : texts) if (b.length() > 0) out.add(b.toString());
    return out;
  }

  /** The first choice's answer text (what a judge scores), or null when it had none or overflowed. */
  public String firstText() {
    for (StringBuilder b : texts) if (b.length() > 0) return b.toString();
    return null;
  }

  List<String[]> toolCalls() {
    return toolCalls == null ? Collections.<String[]>emptyList() : toolCalls;
  }

  boolean overflowed() { return overflowed; }
}
