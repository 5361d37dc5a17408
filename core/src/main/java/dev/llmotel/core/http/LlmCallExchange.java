package dev.llmotel.core.http;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.faults.FaultKind;
import io.opentelemetry.context.Context;
import java.util.function.Function;

/**
 * An exchange whose {@link LlmCall} is in reach (this class loader's): what only the HTTP layer
 * sees, the rate-limit headers, injected faults and replay, goes onto that call, whichever layer
 * owns it.
 */
abstract class LlmCallExchange extends HttpLlmExchange {
  final LlmCall call;

  LlmCallExchange(LlmEndpoint endpoint, LlmCall call, Context context) {
    super(endpoint, context);
    this.call = call;
  }

  @Override
  final void markReplayed() {
    call.response().replayed(true);
  }

  @Override
  final void markFault(FaultKind kind) {
    call.attemptLog().faultInjected(kind.wireName());
  }

  @Override
  final void recordFaults(InteractionRecord record) {
    record.faults(call.attemptLog().faultsInjected());
  }

  @Override
  void onHeaders(int status, String requestsRemaining, String tokensRemaining,
      Function<String, String> headers) {
    call.response().rateLimitRemaining(requestsRemaining, tokensRemaining);
  }
}
