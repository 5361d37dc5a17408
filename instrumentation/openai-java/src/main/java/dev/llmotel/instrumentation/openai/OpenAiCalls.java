package dev.llmotel.instrumentation.openai;

import com.openai.core.ClientOptions;
import com.openai.core.RequestOptions;
import com.openai.core.Timeout;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the advice calls: a few lines of advice hand over to these methods, which map the SDK's
 * types with the mappers and drive the shared {@link LlmInstrumenter}. Every method is safe: a
 * failure of ours is logged once and the app's call goes on untouched.
 */
public final class OpenAiCalls {
  private static final LlmInstrumenter INSTRUMENTER = OpenAiTelemetry.INSTRUMENTER;

  // ---- start ----

  public static Object startChat(Object params, Object clientOptions, boolean streaming) {
    try {
      return start(ChatCompletionMapper.request((ChatCompletionCreateParams) params,
          (ClientOptions) clientOptions, streaming));
    } catch (Throwable t) {
      SafeHooks.failed("openai chat start", t);
      return null;
    }
  }

  public static Object startEmbeddings(Object params, Object clientOptions) {
    try {
      return start(EmbeddingMapper.request((EmbeddingCreateParams) params, (ClientOptions) clientOptions));
    } catch (Throwable t) {
      SafeHooks.failed("openai embeddings start", t);
      return null;
    }
  }

  public static Object startResponse(Object params, Object clientOptions, boolean streaming) {
    try {
      return start(ResponsesMapper.request((ResponseCreateParams) params, (ClientOptions) clientOptions,
          streaming));
    } catch (Throwable t) {
      SafeHooks.failed("openai responses start", t);
      return null;
    }
  }

  /**
   * Starts the span; when a policy refuses the call, ends it at once with the SDK's own exception
   * for that condition and returns an {@link CallRefusal}, so the advice skips the SDK method.
   */
  private static Object start(LlmCall call) {
    return INSTRUMENTER.startSdkCall(call, OpenAiErrors::refusal);
  }

  /**
   * The request options with the timeout policy's ceilings as the SDK's own timeouts: the request
   * timeout, and for streams the read timeout (which bounds the wait for the first chunk and every
   * later one). The SDK then fails and retries exactly as on its own timeouts.
   */
  public static Object applyTimeout(Object state, Object requestOptions) {
    if (!(state instanceof LlmScope) || !(requestOptions instanceof RequestOptions)) return requestOptions;
    try {
      long[] millis = LlmInstrumenter.enforcedTimeoutsMillis(((LlmScope) state).call);
      if (millis[0] <= 0 && millis[1] <= 0) return requestOptions;
      Timeout.Builder timeout = Timeout.builder();
      if (millis[0] > 0) timeout.request(Duration.ofMillis(millis[0]));
      if (millis[1] > 0) timeout.read(Duration.ofMillis(millis[1]));
      return RequestOptions.builder().timeout(timeout.build()).build()
          .applyDefaults((RequestOptions) requestOptions);
    } catch (Throwable t) {
      SafeHooks.failed("openai timeout policy", t);
      return requestOptions;
    }
  }

  /**
   * What a streaming method returns and throws when refused: a blocking stream throws like the SDK
   * does when its request fails; an async stream completes at once with the refusal.
   */
  public static Object refusedStreamResult(Object state, Object result, Object service) {
    if (state instanceof CallRefusal && isAsync(service)) {
      return new FailedAsyncStreamResponse<Object>(((CallRefusal) state).exception());
    }
    return result;
  }

  public static Throwable refusedStreamThrown(Object state, Throwable error, Object service) {
    return state instanceof CallRefusal && !isAsync(service) ? ((CallRefusal) state).exception() : error;
  }

  private static boolean isAsync(Object service) {
    return service != null && service.getClass().getName().startsWith("com.openai.services.async.");
  }

  private static LlmScope scope(Object state) {
    return state instanceof LlmScope ? (LlmScope) state : null;
  }

  // ---- end of blocking calls ----

  public static void endChat(Object state, Object result, Throwable error) {
    end(scope(state), result, error, (call, r) -> ChatCompletionMapper.response(call, (ChatCompletion) r));
  }

  public static void endEmbeddings(Object state, Object result, Throwable error) {
    end(scope(state), result, error, (call, r) -> EmbeddingMapper.response(call, (CreateEmbeddingResponse) r));
  }

  public static void endResponse(Object state, Object result, Throwable error) {
    end(scope(state), result, error, (call, r) -> ResponsesMapper.response(call, (Response) r));
  }

  private static void end(LlmScope scope, Object result, Throwable error,
      BiConsumer<LlmCall, Object> mapResponse) {
    if (scope != null) INSTRUMENTER.end(scope, result, error, mapResponse);
  }

  // ---- end of async calls: the span ends with the future; the app gets its own future back ----

  public static void endChatAsync(Object state, CompletableFuture<?> future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, (call, r) -> ChatCompletionMapper.response(call, (ChatCompletion) r));
  }

  public static void endEmbeddingsAsync(Object state, CompletableFuture<?> future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, (call, r) -> EmbeddingMapper.response(call, (CreateEmbeddingResponse) r));
  }

  public static void endResponseAsync(Object state, CompletableFuture<?> future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, (call, r) -> ResponsesMapper.response(call, (Response) r));
  }

  // ---- streams: the span outlives the method; the app gets a wrapper that ends it ----

  public static Object wrapChatStream(Object state, Object result, Throwable error) {
    LlmScope scope = scope(state);
    if (scope == null) return result;
    ChatStreamAccumulator acc = new ChatStreamAccumulator(scope.call);
    return wrapStream(scope, result, error, chunk -> acc.onChunk((ChatCompletionChunk) chunk), acc::finish);
  }

  public static Object wrapResponseStream(Object state, Object result, Throwable error) {
    LlmScope scope = scope(state);
    if (scope == null) return result;
    LlmCall call = scope.call;
    return wrapStream(scope, result, error, event -> ResponsesMapper.onEvent(call, (ResponseStreamEvent) event),
        () -> {});
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object wrapStream(LlmScope scope, Object result, Throwable error,
      Consumer<Object> onElement, Runnable beforeEnd) {
    if (result == null || error != null) {
      end(scope, null, error, null);
      return result;
    }
    try {
      scope.closeScope();
      LlmStream stream = new LlmStream(INSTRUMENTER, scope.context, scope.call, beforeEnd);
      if (result instanceof StreamResponse) {
        return new TracedStreamResponse<>((StreamResponse) result, stream, onElement);
      }
      if (result instanceof AsyncStreamResponse) {
        return new TracedAsyncStreamResponse<>((AsyncStreamResponse) result, stream, onElement);
      }
      INSTRUMENTER.end(scope.context, scope.call, null);
    } catch (Throwable t) {
      SafeHooks.failed("openai stream wrap", t);
    }
    return result;
  }

  private OpenAiCalls() {}
}
