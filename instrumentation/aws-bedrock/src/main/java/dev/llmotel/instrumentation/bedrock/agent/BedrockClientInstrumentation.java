package dev.llmotel.instrumentation.bedrock.agent;

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

/** The generated blocking client: converse and invokeModel (the interface's overloads delegate here). */
public class BedrockClientInstrumentation implements TypeInstrumentation {
  static final String MODEL = "software.amazon.awssdk.services.bedrockruntime.model.";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("software.amazon.awssdk.services.bedrockruntime.DefaultBedrockRuntimeClient");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("converse").and(isPublic()).and(takesArguments(1))
        .and(takesArgument(0, named(MODEL + "ConverseRequest"))),
        BedrockClientInstrumentation.class.getName() + "$ConverseAdvice");
    transformer.applyAdviceToMethod(named("invokeModel").and(isPublic()).and(takesArguments(1))
        .and(takesArgument(0, named(MODEL + "InvokeModelRequest"))),
        BedrockClientInstrumentation.class.getName() + "$InvokeAdvice");
  }

  public static class ConverseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
      Object state = BedrockCalls.startConverse(client, request);
      request = BedrockCalls.observeRequest(state, request, false);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      BedrockCalls.endConverse(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }

  public static class InvokeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object client,
        @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
      Object state = BedrockCalls.startInvoke(client, request);
      request = BedrockCalls.observeRequest(state, request, false);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      BedrockCalls.endInvoke(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }
}
