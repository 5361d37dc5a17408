package dev.llmotel.instrumentation.anthropic;

import com.anthropic.core.ClientOptions;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.AsyncStreamResponse;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmOtelConfig;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What the advice calls: a few lines of advice hand over to these methods, which map the SDK's
 * types with the mappers and drive the shared {@link LlmInstrumenter}. Every method is safe: a
 * failure of ours is logged once and the app's call goes on untouched.
 */
public final class AnthropicCalls {
  private static final LlmInstrumenter INSTRUMENTER = AnthropicTelemetry.INSTRUMENTER;
  private static final BiConsumer<LlmCall, Object> MESSAGE = MessageMapper::response;

  /**
   * Whether the SDK's own spans stay on (3.x releases trace themselves under the agent): off unless
   * the operator asks for both, so a call has one LLM span, ours.
   */
  static final String SDK_SPANS_KEY = "otel.instrumentation.llm-otel.anthropic.sdk-spans";
  private static final boolean SDK_SPANS = LlmOtelConfig.readBoolean(SDK_SPANS_KEY, false);

  public static Object startMessage(Object params, Object clientOptions, boolean streaming) {
    try {
      LlmCall call = MessageMapper.request((MessageCreateParams) params, (ClientOptions) clientOptions, streaming);
      // Under a framework's span that owns the call (Spring AI 2.0 over this SDK): a refusal it left to us.
      return INSTRUMENTER.startSdkCall(call, AnthropicErrors::refusal);
    } catch (Throwable t) {
      SafeHooks.failed("anthropic message start", t);
      return null;
    }
  }

  /** The timeout policy's ceilings as the SDK's own request and read timeouts. */
  public static Object applyTimeout(Object state, Object requestOptions) {
    if (!(state instanceof LlmScope) || !(requestOptions instanceof RequestOptions)) return requestOptions;
    try {
      long[] millis = LlmInstrumenter.enforcedTimeoutsMillis(((LlmScope) state).call);
      if (millis[0] <= 0 && millis[1] <= 0) return requestOptions;
      Timeout.Builder timeout = Timeout.builder();
      if (millis[0] > 0) timeout.request(Duration.ofMillis(millis[0]));
      if (millis[1] > 0) timeout.read(Duration.ofMillis(millis[1]));
      return RequestOptions.builder().timeout(timeout.build()).build().applyDefaults((RequestOptions) requestOptions);
    } catch (Throwable t) {
      SafeHooks.failed("anthropic timeout policy", t);
      return requestOptions;
    }
  }

  /** Whether the SDK's own tracer is taken away (see {@link #SDK_SPANS_KEY}). */
  public static boolean silenceSdkSpans() {
    return !SDK_SPANS;
  }

  // ---- refusals ----

  /** A refused async stream completes at once with the refusal, as the SDK reports a failed request. */
  public static Object refusedAsyncStream(Object state, Object result) {
    return state instanceof CallRefusal ? new FailedAsyncStreamResponse<Object>(((CallRefusal) state).exception())
        : result;
  }

  // ---- ends ----

  public static void endMessage(Object state, Object result, Throwable error) {
    if (state instanceof LlmScope) INSTRUMENTER.end((LlmScope) state, result, error, MESSAGE);
  }

  /** The span ends with the future; the app gets its own future back. */
  public static void endMessageAsync(Object state, CompletableFuture<?> future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, MESSAGE);
  }

  /** The span outlives the method: the app gets a stream that ends it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object wrapStream(Object state, Object result, Throwable error) {
    if (!(state instanceof LlmScope)) return result;
    LlmScope scope = (LlmScope) state;
    if (result == null || error != null) {
      INSTRUMENTER.end(scope, null, error, null);
      return result;
    }
    try {
      scope.closeScope();
      MessageStreamAccumulator acc = new MessageStreamAccumulator(scope.call);
      LlmStream stream = new LlmStream(INSTRUMENTER, scope.context, scope.call, acc::finish);
      if (result instanceof StreamResponse) {
        return new TracedStreamResponse<>((StreamResponse) result, stream,
            acc::onEvent);
      }
      if (result instanceof AsyncStreamResponse) {
        return new TracedAsyncStreamResponse<>((AsyncStreamResponse) result, stream,
            acc::onEvent);
      }
      INSTRUMENTER.end(scope.context, scope.call, null);
    } catch (Throwable t) {
      SafeHooks.failed("anthropic stream wrap", t);
    }
    return result;
  }

  private AnthropicCalls() {}
}
