package dev.llmotel.core.evaluation;

/** A judge call that gave no score, and why: the value of {@code llm_otel.evaluation.result}. */
public final class JudgeFailure extends Exception {
  public static final String ERROR = "judge_error";
  public static final String TIMEOUT = "judge_timeout";
  public static final String INVALID = "judge_invalid";
  public static final String OVER_BUDGET = "over_budget";

  public final String result;

  JudgeFailure(String result, String message) {
    this(result, message, null);
  }

  /** With the exception that caused it (an I/O failure, a timeout): what the judge's span records. */
  JudgeFailure(String result, String message, Throwable cause) {
    super(message, cause, false, false);
    this.result = result;
  }
}
