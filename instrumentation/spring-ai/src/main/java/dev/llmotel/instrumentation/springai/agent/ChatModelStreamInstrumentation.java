package dev.llmotel.instrumentation.springai.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.springai.SpringAiObservations;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code StreamingChatModel.stream(Prompt)} of every chat model: its Flux is subscribed under the chat span. */
public class ChatModelStreamInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named("org.springframework.ai.chat.model.StreamingChatModel"))
        .and(not(isInterface()));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("stream").and(not(isAbstract())).and(takesArguments(1))
            .and(takesArgument(0, named("org.springframework.ai.chat.prompt.Prompt"))),
        ChatModelStreamInstrumentation.class.getName() + "$StreamAdvice");
  }

  public static class StreamAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object model,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object flux) {
      flux = SpringAiObservations.wrapStream(flux, model);
    }
  }
}
