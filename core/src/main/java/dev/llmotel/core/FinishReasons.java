package dev.llmotel.core;

/** Finish reasons as the GenAI conventions name them, from what a provider's API says, for its SDK's module and the plain-HTTP layer alike. */
public final class FinishReasons {
  private FinishReasons() {}

  /**
   * A Responses API answer's finish reason, as the conventions' OpenAI refinement and the other
   * instrumentations read it (not its status): {@code completed} is {@code tool_calls} when the model
   * called a function, else {@code stop}; {@code incomplete} is its reason, {@code max_output_tokens}
   * as {@code length} ({@code content_filter} as it is); {@code failed} and {@code cancelled} are
   * {@code error}; a response still queued or in progress (background mode) has none.
   */
  public static String openAiResponses(String status, String incompleteReason, boolean calledFunction) {
    if (status == null) return null;
    switch (status) {
      case "completed":
        return calledFunction ? "tool_calls" : "stop";
      case "incomplete":
        if ("max_output_tokens".equals(incompleteReason)) return "length";
        return incompleteReason != null ? incompleteReason : "length";
      case "failed":
      case "cancelled":
        return "error";
      default:
        return null;
    }
  }
}
