package dev.llmotel.instrumentation.bedrock;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.LlmScope;
import dev.llmotel.core.LlmStream;
import dev.llmotel.core.SafeHooks;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.api.internal.SpanKey;
import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.SdkServiceClientConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelWithResponseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ResponseStream;

/**
 * What the advice calls: the few lines of advice hand over to these methods, which map the SDK's
 * types and drive the shared {@link LlmInstrumenter}. Every method is safe: a failure of ours is
 * logged once and the app's call goes on untouched.
 *
 * <p>The agent's own AWS SDK instrumentation makes a span for every AWS call. Under ours, its span
 * of the same Bedrock call would be a second LLM span: our context carries the span keys it checks
 * (RPC and HTTP client), so it makes none, and the call has one span, ours.
 */
public final class BedrockCalls {
  private static final LlmInstrumenter INSTRUMENTER = BedrockTelemetry.INSTRUMENTER;
  private static final BiConsumer<LlmCall, Object> CONVERSE = ConverseMapper::response;
  private static final BiConsumer<LlmCall, Object> INVOKE = InvokeModelMapper::response;

  // ---- starts: a request in, the state for the exit advice out ----

  public static Object startConverse(Object client, Object request) {
    try {
      ConverseRequest r = (ConverseRequest) request;
      return start(ConverseMapper.request(serverUrl(client), r.modelId(), r.messages(), r.system(),
          r.inferenceConfig(), r.toolConfig() == null ? java.util.Collections.emptyList() : r.toolConfig().tools(),
          () -> r.outputConfig(), false));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock converse start", t);
      return null;
    }
  }

  public static Object startConverseStream(Object client, Object request) {
    try {
      ConverseStreamRequest r = (ConverseStreamRequest) request;
      return start(ConverseMapper.request(serverUrl(client), r.modelId(), r.messages(), r.system(),
          r.inferenceConfig(), r.toolConfig() == null ? java.util.Collections.emptyList() : r.toolConfig().tools(),
          () -> r.outputConfig(), true));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock converse stream start", t);
      return null;
    }
  }

  public static Object startInvoke(Object client, Object request) {
    try {
      InvokeModelRequest r = (InvokeModelRequest) request;
      return start(InvokeModelMapper.request(serverUrl(client), r.modelId(), r.body(), false));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock invoke start", t);
      return null;
    }
  }

  public static Object startInvokeStream(Object client, Object request) {
    try {
      InvokeModelWithResponseStreamRequest r = (InvokeModelWithResponseStreamRequest) request;
      return start(InvokeModelMapper.request(serverUrl(client), r.modelId(), r.body(), true));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock invoke stream start", t);
      return null;
    }
  }

  private static Object start(LlmCall call) {
    // Under a framework's span that owns the call (LangChain4j, Spring AI on Bedrock): a refusal it left to us.
    return INSTRUMENTER.startSdkCall(call, BedrockErrors::refusal, context -> {
      Span span = Span.fromContext(context);
      return SpanKey.HTTP_CLIENT.storeInContext(SpanKey.RPC_CLIENT.storeInContext(
          SpanKey.KIND_CLIENT.storeInContext(context, span), span), span);
    });
  }

  /** Where the client sends its calls: the endpoint override, else the region's Bedrock endpoint. */
  static String serverUrl(Object client) {
    if (!(client instanceof SdkClient)) return null;
    SdkServiceClientConfiguration config = ((SdkClient) client).serviceClientConfiguration();
    if (config == null) return null;
    URI override = config.endpointOverride().orElse(null);
    if (override != null) return override.toString();
    if (config instanceof AwsServiceClientConfiguration && ((AwsServiceClientConfiguration) config).region() != null) {
      return "https://bedrock-runtime." + ((AwsServiceClientConfiguration) config).region().id() + ".amazonaws.com";
    }
    return null;
  }

  /**
   * The request the SDK gets instead of the app's: the same, with a metrics publisher that reports
   * each attempt of the SDK's retries, and the timeout policy's ceiling as the SDK's own API call
   * timeout (when it is lower than the request's).
   */
  public static Object observeRequest(Object state, Object request, boolean awaitAttempts) {
    if (!(state instanceof LlmScope) || !(request instanceof AwsRequest)) return request;
    try {
      LlmCall call = ((LlmScope) state).call;
      AwsRequest r = (AwsRequest) request;
      AwsRequestOverrideConfiguration.Builder config = r.overrideConfiguration()
          .map(AwsRequestOverrideConfiguration::toBuilder).orElseGet(AwsRequestOverrideConfiguration::builder);
      config.addMetricPublisher(awaitAttempts ? AttemptMetrics.awaited(call) : AttemptMetrics.recording(call));
      long ceiling = LlmInstrumenter.enforcedTimeoutsMillis(call)[0];
      Duration current = config.apiCallTimeout();
      if (ceiling > 0 && (current == null || current.toMillis() > ceiling)) {
        config.apiCallTimeout(Duration.ofMillis(ceiling));
      }
      return r.toBuilder().overrideConfiguration(config.build()).build();
    } catch (Throwable t) {
      SafeHooks.failed("bedrock request options", t);
      return request;
    }
  }

  // ---- ends ----

  public static void endConverse(Object state, Object result, Throwable error) {
    if (state instanceof LlmScope) INSTRUMENTER.end((LlmScope) state, result, error, CONVERSE);
  }

  public static void endInvoke(Object state, Object result, Throwable error) {
    if (state instanceof LlmScope) INSTRUMENTER.end((LlmScope) state, result, error, INVOKE);
  }

  public static void endConverseAsync(Object state, Object future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, CONVERSE);
  }

  public static void endInvokeAsync(Object state, Object future, Throwable error) {
    INSTRUMENTER.endWhenComplete(state, future, error, INVOKE);
  }

  // ---- streams: the app's handler is wrapped, the span ends with the stream ----

  public static Object wrapConverseHandler(Object state, Object handler) {
    if (!(state instanceof LlmScope) || !(handler instanceof ConverseStreamResponseHandler)) return handler;
    try {
      LlmScope scope = (LlmScope) state;
      ConverseStreamAccumulator acc = new ConverseStreamAccumulator(scope.call);
      LlmStream stream = new LlmStream(INSTRUMENTER, scope.context, scope.call, acc::finish);
      return new TracedConverseStreamHandler((ConverseStreamResponseHandler) handler,
          new EventStreamObserver<ConverseStreamOutput>(stream, acc::onEvent, acc::finished));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock stream handler", t);
      return handler;
    }
  }

  public static Object wrapInvokeHandler(Object state, Object handler) {
    if (!(state instanceof LlmScope) || !(handler instanceof InvokeModelWithResponseStreamResponseHandler)) {
      return handler;
    }
    try {
      LlmScope scope = (LlmScope) state;
      InvokeStreamAccumulator acc = new InvokeStreamAccumulator(scope.call);
      LlmStream stream = new LlmStream(INSTRUMENTER, scope.context, scope.call, acc::finish);
      return new TracedInvokeStreamHandler((InvokeModelWithResponseStreamResponseHandler) handler,
          new EventStreamObserver<ResponseStream>(stream, acc::onEvent, acc::finished));
    } catch (Throwable t) {
      SafeHooks.failed("bedrock stream handler", t);
      return handler;
    }
  }

  /**
   * A stream's method returned (its future follows the stream): the scope closes; if the method
   * itself failed, the stream never started and the span ends here.
   */
  public static void streamStarted(Object state, Throwable error) {
    if (!(state instanceof LlmScope)) return;
    LlmScope scope = (LlmScope) state;
    if (error != null) {
      INSTRUMENTER.end(scope, null, error, null);
    } else {
      scope.closeScope();
    }
  }

  /**
   * A refused stream: the app's handler learns of it as of any failed request, and so does the future.
   * A stream that goes through: its future completes with the stream, so it carries the rejection of
   * an answer the output_validation policy refuses (the handler gets it from {@link TracedConverseStreamHandler}).
   */
  public static Object refusedStream(Object state, Object handler, Object result) {
    if (state instanceof LlmScope) return CallRefusal.rejectedFutureOr(((LlmScope) state).call, result);
    if (!(state instanceof CallRefusal)) return result;
    RuntimeException exception = ((CallRefusal) state).exception();
    try {
      if (handler instanceof software.amazon.awssdk.awscore.eventstream.EventStreamResponseHandler) {
        ((software.amazon.awssdk.awscore.eventstream.EventStreamResponseHandler<?, ?>) handler).exceptionOccurred(exception);
      }
    } catch (Throwable t) {
      SafeHooks.failed("bedrock refused stream", t);
    }
    return CallRefusal.failedFutureOr(state, result);
  }

  private BedrockCalls() {}
}
