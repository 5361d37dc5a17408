package dev.llmotel.instrumentation.googlegenai.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.llmotel.core.CallRefusal;
import dev.llmotel.instrumentation.googlegenai.GoogleGenAiCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Blocking models: the private methods every public overload, chat session and automatic
 * function-calling round goes through, one HTTP request each.
 */
public class ModelsInstrumentation implements TypeInstrumentation {
  static final String CONTENT_LIST = "java.util.List";
  static final String CONFIG = "com.google.genai.types.GenerateContentConfig";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.google.genai.Models");
  }

  @Override
  public void transform(TypeTransformer transformer) {
    transformer.applyAdviceToMethod(
        named("privateGenerateContent").and(takesArguments(3)).and(takesArgument(0, String.class))
            .and(takesArgument(1, named(CONTENT_LIST))).and(takesArgument(2, named(CONFIG)))
            .and(returns(named("com.google.genai.types.GenerateContentResponse"))),
        ModelsInstrumentation.class.getName() + "$GenerateAdvice");
    transformer.applyAdviceToMethod(
        named("privateGenerateContentStream").and(takesArguments(3)).and(takesArgument(0, String.class))
            .and(takesArgument(1, named(CONTENT_LIST))).and(takesArgument(2, named(CONFIG)))
            .and(returns(named("com.google.genai.ResponseStream"))),
        ModelsInstrumentation.class.getName() + "$GenerateStreamAdvice");
    transformer.applyAdviceToMethod(
        named("privateEmbedContent").and(takesArgument(0, String.class))
            .and(returns(named("com.google.genai.types.EmbedContentResponse"))),
        ModelsInstrumentation.class.getName() + "$EmbedAdvice");
  }

  public static class GenerateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object models, @Advice.Argument(0) String model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object config) {
      Object state = GoogleGenAiCalls.startGenerate(models, model, contents, config, false);
      config = GoogleGenAiCalls.applyTimeout(state, config);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      GoogleGenAiCalls.endGenerate(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }

  public static class GenerateStreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object models, @Advice.Argument(0) String model,
        @Advice.Argument(1) Object contents,
        @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object config) {
      Object state = GoogleGenAiCalls.startGenerate(models, model, contents, config, true);
      config = GoogleGenAiCalls.applyTimeout(state, config);
      return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      GoogleGenAiCalls.trackStream(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }

  public static class EmbedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = CallRefusal.class)
    public static Object onEnter(@Advice.This Object models, @Advice.Argument(0) String model,
        @Advice.AllArguments Object[] args) {
      return GoogleGenAiCalls.startEmbed(models, model, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void onExit(@Advice.Enter Object state, @Advice.Return Object result,
        @Advice.Thrown(readOnly = false) Throwable error) {
      GoogleGenAiCalls.endEmbed(state, result, error);
      error = CallRefusal.thrown(state, error);
    }
  }
}
