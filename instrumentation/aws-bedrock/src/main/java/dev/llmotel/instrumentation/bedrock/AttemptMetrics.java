package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.SafeHooks;
import java.util.List;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * The SDK's retries, seen through its public per-request metrics: it publishes one collection per
 * call with one "ApiCallAttempt" child per HTTP attempt (status, error type, request id), on the
 * caller's thread before a blocking call returns, and around the completion of an async one.
 */
final class AttemptMetrics implements MetricPublisher {
  private final LlmCall call;
  /** For async calls: the attempt number announced at the start, so the span waits for this report. */
  private final int announced;

  private AttemptMetrics(LlmCall call, int announced) {
    this.call = call;
    this.announced = announced;
  }

  /** For calls whose span ends in the exit advice or with a stream: attempts are recorded as they come. */
  static AttemptMetrics recording(LlmCall call) {
    return new AttemptMetrics(call, 0);
  }

  /** For async calls whose span ends with their future: the end waits until the attempts are reported. */
  static AttemptMetrics awaited(LlmCall call) {
    return new AttemptMetrics(call, call.attemptLog().startAttempt());
  }

  @Override
  public void publish(MetricCollection metrics) {
    try {
      SafeHooks.checkpoint("attempt");
      List<MetricCollection> attempts = metrics.children();
      int first = -1;
      for (int i = 0; i < attempts.size(); i++) {
        if (!"ApiCallAttempt".equals(attempts.get(i).name())) continue;
        if (first < 0 && announced > 0) {
          first = i; // reported last, as the announced attempt: that releases the span's end
          continue;
        }
        record(attempts.get(i), 0);
      }
      if (announced > 0) {
        if (first >= 0) {
          record(attempts.get(first), announced);
        } else {
          call.attemptLog().finishAttemptOfType(announced, null, null, null, null);
        }
      }
    } catch (Throwable t) {
      SafeHooks.failed("bedrock attempts", t);
    }
  }

  private void record(MetricCollection attempt, int number) {
    Integer status = first(attempt.metricValues(HttpMetric.HTTP_STATUS_CODE));
    String errorType = first(attempt.metricValues(CoreMetric.ERROR_TYPE));
    String requestId = first(attempt.metricValues(CoreMetric.AWS_REQUEST_ID));
    // A status says why an attempt failed; the SDK's error type does when there was none (I/O, timeout).
    String failure = status == null ? errorType : null;
    if (number > 0) {
      call.attemptLog().finishAttemptOfType(number, status, null, failure, requestId);
    } else {
      call.attemptLog().recordAttemptOfType(status, null, failure, requestId);
    }
  }

  private static <T> T first(List<T> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  @Override
  public void close() {}
}
