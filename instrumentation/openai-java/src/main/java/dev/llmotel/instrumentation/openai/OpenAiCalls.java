package dev.llmotel.instrumentation.openai;

import com.openai.core.ClientOptions;
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
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.context.Context;
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

  public static OpenAiScope startChat(Object params, Object clientOptions, boolean streaming) {
    try {
      return start(ChatCompletionMapper.request((ChatCompletionCreateParams) params,
          (ClientOptions) clientOptions, streaming));
    } catch (Throwable t) {
      SafeHooks.failed("openai chat start", t);
      return null;
    }
  }

  public static OpenAiScope startEmbeddings(Object params, Object clientOptions) {
    try {
      return start(EmbeddingMapper.request((EmbeddingCreateParams) params, (ClientOptions) clientOptions));
    } catch (Throwable t) {
      SafeHooks.failed("openai embeddings start", t);
      return null;
    }
  }

  public static OpenAiScope startResponse(Object params, Object clientOptions, boolean streaming) {
    try {
      return start(ResponsesMapper.request((ResponseCreateParams) params, (ClientOptions) clientOptions,
          streaming));
    } catch (Throwable t) {
      SafeHooks.failed("openai responses start", t);
      return null;
    }
  }

  private static OpenAiScope start(LlmCall call) {
    Context context = INSTRUMENTER.start(Context.current(), call);
    return context == null ? null : new OpenAiScope(call, context);
  }

  // ---- end of blocking calls ----

  public static void endChat(OpenAiScope scope, Object result, Throwable error) {
    end(scope, result, error, (call, r) -> ChatCompletionMapper.response(call, (ChatCompletion) r));
  }

  public static void endEmbeddings(OpenAiScope scope, Object result, Throwable error) {
    end(scope, result, error, (call, r) -> EmbeddingMapper.response(call, (CreateEmbeddingResponse) r));
  }

  public static void endResponse(OpenAiScope scope, Object result, Throwable error) {
    end(scope, result, error, (call, r) -> ResponsesMapper.response(call, (Response) r));
  }

  private static void end(OpenAiScope scope, Object result, Throwable error,
      BiConsumer<LlmCall, Object> mapResponse) {
    if (scope == null) return;
    try {
      scope.closeScope();
      if (result != null) mapResponse.accept(scope.call, result);
      INSTRUMENTER.end(scope.context, scope.call, error);
    } catch (Throwable t) {
      SafeHooks.failed("openai end", t);
    }
  }

  // ---- end of async calls: the span ends with the future; the app gets its own future back ----

  public static void endChatAsync(OpenAiScope scope, CompletableFuture<?> future, Throwable error) {
    endAsync(scope, future, error, (call, r) -> ChatCompletionMapper.response(call, (ChatCompletion) r));
  }

  public static void endEmbeddingsAsync(OpenAiScope scope, CompletableFuture<?> future, Throwable error) {
    endAsync(scope, future, error, (call, r) -> EmbeddingMapper.response(call, (CreateEmbeddingResponse) r));
  }

  public static void endResponseAsync(OpenAiScope scope, CompletableFuture<?> future, Throwable error) {
    endAsync(scope, future, error, (call, r) -> ResponsesMapper.response(call, (Response) r));
  }

  private static void endAsync(OpenAiScope scope, CompletableFuture<?> future, Throwable error,
      BiConsumer<LlmCall, Object> mapResponse) {
    if (scope == null) return;
    if (future == null || error != null) {
      end(scope, null, error, mapResponse);
      return;
    }
    try {
      scope.closeScope();
      future.whenComplete((result, asyncError) -> scope.call.runWhenAttemptsSettled(() -> {
        try {
          if (result != null) mapResponse.accept(scope.call, result);
          INSTRUMENTER.end(scope.context, scope.call, asyncError);
        } catch (Throwable t) {
          SafeHooks.failed("openai async end", t);
        }
      }));
    } catch (Throwable t) {
      SafeHooks.failed("openai async end", t);
    }
  }

  // ---- streams: the span outlives the method; the app gets a wrapper that ends it ----

  public static Object wrapChatStream(OpenAiScope scope, Object result, Throwable error) {
    if (scope == null) return result;
    ChatStreamAccumulator acc = new ChatStreamAccumulator(scope.call);
    return wrapStream(scope, result, error, chunk -> acc.onChunk((ChatCompletionChunk) chunk), acc::finish);
  }

  public static Object wrapResponseStream(OpenAiScope scope, Object result, Throwable error) {
    if (scope == null) return result;
    LlmCall call = scope.call;
    return wrapStream(scope, result, error, event -> ResponsesMapper.onEvent(call, (ResponseStreamEvent) event),
        () -> {});
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object wrapStream(OpenAiScope scope, Object result, Throwable error,
      Consumer<Object> onElement, Runnable beforeEnd) {
    if (result == null || error != null) {
      end(scope, null, error, (c, r) -> {});
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
