package dev.llmotel.instrumentation.bedrock.agent;

import static dev.llmotel.instrumentation.bedrock.agent.BedrockClientInstrumentation.MODEL;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.instrumentation.bedrock.BedrockCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The generated async client: converse and invokeModel (futures), converseStream and
 * invokeModelWithResponseStream (an event stream delivered to the app's handler).
 */
public class BedrockAsyncClientInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("software.amazon.awssdk.services.bedrockruntime.DefaultBedrockRuntimeAsyncClient");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    String advice = BedrockAsyncClientInstrumentation.class.getName();
    transformer.applyAdviceToMethod(named("converse").and(isPublic()).and(takesArguments(1))
        .and(takesArgument(0, named(MODEL + "ConverseRequest"))), advice + "$ConverseAdvice");
    transformer.applyAdviceToMethod(named("invokeModel").and(isPublic()).and(takesArguments(1))
        .and(takesArgument(0, named(MODEL + "InvokeModelRequest"))), advice + "$InvokeAdvice");
    transformer.applyAdviceToMethod(named("converseStream").and(isPublic()).and(takesArguments(2))
        .and(takesArgument(0, named(MODEL + "ConverseStreamRequest"))), advice + "$ConverseStreamAdvice");
    transformer.applyAdviceToMethod(named("invokeModelWithResponseStream").and(isPublic()).and(takesArguments(2))
        .and(takesArgument(0, named(MODEL + "InvokeModelWithResponseStreamRequest"))), advice + "$InvokeStreamAdvice");
  }

  public static class ConverseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
      Object state = BedrockCalls.startConverse(client, request);
      request = BedrockCalls.observeRequest(state, request, true);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      BedrockCalls.endConverseAsync(state, result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }

  public static class InvokeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
      Object state = BedrockCalls.startInvoke(client, request);
      request = BedrockCalls.observeRequest(state, request, true);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      BedrockCalls.endInvokeAsync(state, result, error);
      result = CallRefusal.failedFutureOr(state, result);
    }
  }

  public static class ConverseStreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
      Object state = BedrockCalls.startConverseStream(client, request);
      request = BedrockCalls.observeRequest(state, request, false);
      handler = BedrockCalls.wrapConverseHandler(state, handler);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Argument(1) Object handler,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      BedrockCalls.streamStarted(state, error);
      result = BedrockCalls.refusedStream(state, handler, result);
    }
  }

  public static class InvokeStreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
        @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
      Object state = BedrockCalls.startInvokeStream(client, request);
      request = BedrockCalls.observeRequest(state, request, false);
      handler = BedrockCalls.wrapInvokeHandler(state, handler);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Argument(1) Object handler,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable error) {
      BedrockCalls.streamStarted(state, error);
      result = BedrockCalls.refusedStream(state, handler, result);
    }
  }
}
