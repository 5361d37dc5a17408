package dev.llmotel.instrumentation.googlegenai;

import com.google.genai.ResponseStream;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import io.opentelemetry.instrumentation.api.internal.cache.Cache;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What the advice calls: the few lines of advice hand over to these methods, which map the SDK's
 * types and drive the shared {@link LlmInstrumenter}. Every method is safe: a failure of ours is
 * logged once and the app's call goes on untouched.
 */
public final class GoogleGenAiCalls {
  private static final LlmInstrumenter INSTRUMENTER = GoogleGenAiTelemetry.INSTRUMENTER;
  private static final BiConsumer<LlmCall, Object> CONTENT = ContentMapper::response;
  private static final BiConsumer<LlmCall, Object> EMBEDDING = EmbeddingMapper::response;
  /**
   * The span of a streamed call rides on the SDK's stream until the app has read or closed it. A
   * weak, concurrent identity map: without the agent's build-time field injection (a Gradle plugin),
   * VirtualField is not available to a Maven-built extension.
   */
  private static final Cache<ResponseStream<?>, TrackedStream> STREAMS = Cache.weak();

  // ---- starts ----

  /** Models or AsyncModels (both hold the client they were built from): a generateContent call. */
  public static Object startGenerate(Object models, String model, Object contents, Object config, boolean streaming) {
    try {
      ClientTarget target = ClientTarget.of(models);
      @SuppressWarnings("unchecked")
      LlmCall call = ContentMapper.request(target.provider, target.baseUrl, model, (List<Content>) contents,
          config instanceof GenerateContentConfig ? (GenerateContentConfig) config : null, streaming);
      return start(call);
    } catch (Throwable t) {
      SafeHooks.failed("google-genai generate start", t);
      return null;
    }
  }

  public static Object startEmbed(Object models, String model, Object[] args) {
    try {
      ClientTarget target = ClientTarget.of(models);
      Object config = args.length == 0 ? null : args[args.length - 1];
      return start(EmbeddingMapper.request(target.provider, target.baseUrl, model, config));
    } catch (Throwable t) {
      SafeHooks.failed("google-genai embed start", t);
      return null;
    }
  }

  private static Object start(LlmCall call) {
    // Under a framework's span that owns the call (e.g. Spring AI over this SDK): a refusal it left to us.
    return INSTRUMENTER.startSdkCall(call, GoogleGenAiErrors::refusal);
  }

  /**
   * The timeout policy's ceiling as the request's own timeout (HttpOptions.timeout, in ms), which
   * the SDK's OkHttp transport (later 1.x and 2.x) applies as the call timeout. The 1.x releases on
   * Apache HttpClient have no request timeout to set: there the policy can only record.
   */
  public static Object applyTimeout(Object state, Object config) {
    if (!(state instanceof LlmScope)) return config;
    try {
      long millis = LlmInstrumenter.enforcedTimeoutsMillis(((LlmScope) state).call)[0];
      if (millis <= 0) return config;
      int ceiling = (int) Math.min(Integer.MAX_VALUE, millis);
      GenerateContentConfig current = config instanceof GenerateContentConfig ? (GenerateContentConfig) config : null;
      HttpOptions options = current == null ? null : current.httpOptions().orElse(null);
      Integer existing = options == null ? null : options.timeout().orElse(null);
      if (existing != null && existing <= ceiling) return config;
      HttpOptions.Builder httpOptions = options == null ? HttpOptions.builder() : options.toBuilder();
      HttpOptions limited = httpOptions.timeout(ceiling).build();
      GenerateContentConfig.Builder builder = current == null ? GenerateContentConfig.builder() : current.toBuilder();
      return builder.httpOptions(limited).build();
    } catch (Throwable t) {
      SafeHooks.failed("google-genai timeout policy", t);
      return config;
    }
  }

  // ---- ends ----

  public static void endGenerate(Object state, Object result, Throwable error) {
    if (state instanceof LlmScope) INSTRUMENTER.end((LlmScope) state, result, error, CONTENT);
  }

  public static void endEmbed(Object state, Object result, Throwable error) {
    if (state instanceof LlmScope) INSTRUMENTER.end((LlmScope) state, result, error, EMBEDDING);
  }

  public static void endGenerateAsync(Object state, Object future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, CONTENT);
  }

  public static void endEmbedAsync(Object state, Object future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, EMBEDDING);
  }

  /** A blocking stream: the span stays open on the returned stream until it is read or closed. */
  public static void trackStream(Object state, Object result, Throwable error) {
    if (!(state instanceof LlmScope)) return;
    LlmScope scope = (LlmScope) state;
    if (!(result instanceof ResponseStream) || error != null) {
      INSTRUMENTER.end(scope, null, error, null);
      return;
    }
    try {
      scope.closeScope();
      attach((ResponseStream<?>) result, scope);
    } catch (Throwable t) {
      SafeHooks.failed("google-genai stream start", t);
    }
  }

  /**
   * An async stream: the span follows the future, then the stream it completes with. The app gets a
   * future that completes once the stream is tracked: with the SDK's own future, the app's join could
   * return, and its first reads happen, before a callback of ours had run.
   */
  public static Object trackAsyncStream(Object state, Object future, Throwable error) {
    if (!(state instanceof LlmScope)) return future;
    LlmScope scope = (LlmScope) state;
    if (!(future instanceof CompletableFuture) || error != null) {
      INSTRUMENTER.end(scope, null, error, null);
      return future;
    }
    try {
      scope.closeScope();
      CompletableFuture<Object> tracked = new CompletableFuture<>();
      ((CompletableFuture<?>) future).whenComplete((stream, asyncError) -> {
        try {
          if (stream instanceof ResponseStream && asyncError == null) {
            attach((ResponseStream<?>) stream, scope);
          } else {
            INSTRUMENTER.end(scope.context, scope.call, asyncError);
          }
        } catch (Throwable t) {
          SafeHooks.failed("google-genai async stream", t);
        } finally {
          if (asyncError != null) tracked.completeExceptionally(asyncError);
          else tracked.complete(stream);
        }
      });
      return tracked;
    } catch (Throwable t) {
      SafeHooks.failed("google-genai async stream start", t);
      return future;
    }
  }

  private static void attach(ResponseStream<?> responseStream, LlmScope scope) {
    ContentStreamAccumulator acc = new ContentStreamAccumulator(scope.call);
    LlmStream stream = new LlmStream(INSTRUMENTER, scope.context, scope.call, acc::finish);
    STREAMS.put(responseStream, new TrackedStream(stream, acc));
  }

  // ---- the stream's iterator and close ----

  /** Iterator.next of a stream: one chunk, or the failure reading it. */
  public static void onNext(Object responseStream, Object element, Throwable error) {
    TrackedStream tracked = tracked(responseStream);
    if (tracked == null) return;
    try {
      if (error != null) {
        // Asking past the end is the app's mistake, not the stream's failure.
        if (!(error instanceof NoSuchElementException)) tracked.stream.end(error, false);
        return;
      }
      SafeHooks.checkpoint("chunk");
      tracked.stream.call().response().onChunk();
      tracked.acc.onChunk(element);
    } catch (Throwable t) {
      SafeHooks.failed("google-genai stream chunk", t);
    }
  }

  /** Iterator.hasNext of a stream: false is the stream's end, a throw its failure. */
  /**
   * Ends the span when the stream says it has no more (or fails). Returns what hasNext throws: its
   * own error, or at the end of an answer the output_validation policy rejected, the rejection.
   */
  public static Throwable onHasNext(Object responseStream, boolean hasNext, Throwable error) {
    if (hasNext && error == null) return null;
    TrackedStream tracked = tracked(responseStream);
    if (tracked == null) return error;
    tracked.stream.end(error, error == null);
    STREAMS.remove((ResponseStream<?>) responseStream);
    Throwable rejection = tracked.stream.call().outputReview().rejection();
    return error == null && rejection != null ? rejection : error;
  }

  /** The app closed the stream: its normal end if the model had finished, else closed early. */
  public static void onClose(Object responseStream) {
    TrackedStream tracked = tracked(responseStream);
    if (tracked == null) return;
    if (tracked.acc.finished()) tracked.stream.markCompleted();
    tracked.stream.end(null, false);
    STREAMS.remove((ResponseStream<?>) responseStream);
  }

  private static TrackedStream tracked(Object responseStream) {
    try {
      return responseStream instanceof ResponseStream ? STREAMS.get((ResponseStream<?>) responseStream) : null;
    } catch (Throwable t) {
      SafeHooks.failed("google-genai stream lookup", t);
      return null;
    }
  }

  // ---- the SDK's retries ----

  /** The chain the SDK's retry interceptor proceeds on, seen attempt by attempt (see {@link AttemptRecorder}). */
  public static Object observeAttempts(Object chain) {
    return AttemptRecorder.wrap(chain);
  }

  static final class TrackedStream {
    final LlmStream stream;
    final ContentStreamAccumulator acc;

    TrackedStream(LlmStream stream, ContentStreamAccumulator acc) {
      this.stream = stream;
      this.acc = acc;
    }
  }

  /**
   * Where a Models / AsyncModels sends its calls: Gemini API or Vertex AI, and the base URL. The
   * client class is package-private in 1.x, so it is read reflectively (members found once).
   */
  static final class ClientTarget {
    private static final ClassValue<Field> API_CLIENT = declaredField("apiClient");
    private static final ClassValue<Field> HTTP_OPTIONS = declaredField("httpOptions");
    private static final ClassValue<Method> VERTEX_AI = new ClassValue<Method>() {
      @Override
      protected Method computeValue(Class<?> type) {
        try {
          Method m = type.getMethod("vertexAI");
          m.setAccessible(true);
          return m;
        } catch (Exception e) {
          SafeHooks.failed("google-genai client kind", e);
          return null;
        }
      }
    };

    final String provider;
    final String baseUrl;

    private ClientTarget(String provider, String baseUrl) {
      this.provider = provider;
      this.baseUrl = baseUrl;
    }

    static ClientTarget of(Object models) {
      Object client = read(API_CLIENT, models);
      if (client == null) return new ClientTarget(GenAiValues.PROVIDER_GCP_GEMINI, null);
      boolean vertex = false;
      try {
        Method m = VERTEX_AI.get(client.getClass());
        vertex = m != null && Boolean.TRUE.equals(m.invoke(client));
      } catch (Throwable t) {
        SafeHooks.failed("google-genai client kind", t);
      }
      Object options = read(HTTP_OPTIONS, client);
      String baseUrl = options instanceof HttpOptions ? ((HttpOptions) options).baseUrl().orElse(null) : null;
      return new ClientTarget(vertex ? GenAiValues.PROVIDER_GCP_VERTEX_AI : GenAiValues.PROVIDER_GCP_GEMINI, baseUrl);
    }

    private static Object read(ClassValue<Field> field, Object target) {
      try {
        Field f = field.get(target.getClass());
        return f == null ? null : f.get(target);
      } catch (Throwable t) {
        SafeHooks.failed("google-genai client lookup", t);
        return null;
      }
    }

    /** The field of that name in the class or the nearest superclass that declares it. */
    private static ClassValue<Field> declaredField(String name) {
      return new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> type) {
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
              Field f = c.getDeclaredField(name);
              f.setAccessible(true);
              return f;
            } catch (NoSuchFieldException e) {
              // look further up
            }
          }
          SafeHooks.failed("google-genai client lookup", new NoSuchFieldException(type.getName() + "." + name));
          return null;
        }
      };
    }
  }

  private GoogleGenAiCalls() {}
}
