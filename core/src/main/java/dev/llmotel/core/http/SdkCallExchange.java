package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;
import io.opentelemetry.context.Context;

/**
 * An HTTP attempt inside an LLM call an SDK or framework owns (its module in this class loader made
 * the span and maps the call): no span and no mapping here, only what the HTTP layer alone sees goes
 * onto that call, the rate-limit headers, and fault injection and record/replay for the attempt.
 * Made by a plain-HTTP client module that finds such a call current ({@link HttpLlmExchange#start})
 * and by an SDK's own HTTP hook ({@link HttpLlmExchange#underSdkCall}, {@link HttpLlmExchange#underCall}).
 */
final class SdkCallExchange extends LlmCallExchange {
  private SdkCallExchange(LlmEndpoint endpoint, LlmCall call, Context context) {
    super(endpoint, call, context);
  }

  /**
   * The exchange of one request of the SDK's call, with the model its faults and recordings are
   * matched by; the request's bytes, null when they were not read (neither feature needs them).
   */
  static SdkCallExchange start(LlmEndpoint endpoint, LlmCall call, Context context, String model, String path,
      byte[] requestBytes) {
    SdkCallExchange exchange = new SdkCallExchange(endpoint, call, context);
    exchange.beforeSend(call.provider(), model, call.governance(), call.request().streaming(), path, requestBytes);
    return exchange;
  }
}
