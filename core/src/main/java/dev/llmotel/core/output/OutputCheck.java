package dev.llmotel.core.output;

import dev.llmotel.semconv.LlmOtelAttributes;

/** The verdict on an answer: valid, invalid, not_json (or unchecked), and the first violation. */
public final class OutputCheck {
  /** The answer could not be checked: its schema cannot be compiled, or it is too large to keep. */
  public static final String UNCHECKED = "unchecked";

  public final String result;
  /** "$.items[0].price: minimum", "tool get_weather: $: required"; null when valid. */
  public final String error;

  OutputCheck(String result, String error) {
    this.result = result;
    this.error = error == null || error.length() <= Violations.MAX_LENGTH ? error
        : error.substring(0, Violations.MAX_LENGTH);
  }

  /** Whether the answer cannot be used as it is (invalid or not JSON). */
  public boolean failed() {
    return LlmOtelAttributes.OUTPUT_INVALID.equals(result) || LlmOtelAttributes.OUTPUT_NOT_JSON.equals(result);
  }
}
