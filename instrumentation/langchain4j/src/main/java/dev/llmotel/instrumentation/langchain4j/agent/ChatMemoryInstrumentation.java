package dev.llmotel.instrumentation.langchain4j.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.implementsInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.instrumentation.langchain4j.LangChain4jCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every chat memory's {@code messages()}: an AI service reads its memory (the one of its
 * {@code @MemoryId}, or its single chat memory) before it calls the model, and the memory's id is the
 * run's conversation ({@code gen_ai.conversation.id}).
 */
public class ChatMemoryInstrumentation implements TypeInstrumentation {
  static final String CHAT_MEMORY = "dev.langchain4j.memory.ChatMemory";

  @Override
  public ElementMatcher<ClassLoader> classLoaderOptimization() {
    return hasClassesNamed(CHAT_MEMORY);
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return implementsInterface(named(CHAT_MEMORY));
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(named("messages").and(takesArguments(0)).and(isPublic()),
        ChatMemoryInstrumentation.class.getName() + "$MessagesAdvice");
  }

  public static class MessagesAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void onExit(@Advice.This Object memory) {
      LangChain4jCalls.memoryRead(memory);
    }
  }
}
