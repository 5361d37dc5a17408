package dev.llmotel.instrumentation.langchain4j;

import java.lang.reflect.Field;

/**
 * Whether a model sends its JSON schemas in strict mode: LangChain4j's OpenAI models
 * ({@code strictJsonSchema} for response formats, {@code strictTools} for tools) then require every
 * property and forbid others, and the answer is held to that schema, not to the looser element tree.
 * Read from the model's own fields (no accessor in 1.0 to 1.19); any other model: not strict.
 */
final class StrictSchemas {
  private static final ClassValue<Field[]> FIELDS = new ClassValue<Field[]>() {
    @Override
    protected Field[] computeValue(Class<?> type) {
      return new Field[] {field(type, "strictJsonSchema"), field(type, "strictTools")};
    }
  };

  static boolean json(Object model) {
    return flag(model, 0);
  }

  static boolean tools(Object model) {
    return flag(model, 1);
  }

  private static boolean flag(Object model, int which) {
    if (model == null) return false;
    Field f = FIELDS.get(model.getClass())[which];
    try {
      return f != null && Boolean.TRUE.equals(f.get(model));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static Field field(Class<?> type, String name) {
    if (!type.getName().startsWith("dev.langchain4j.model.openai.")) return null;
    try {
      Field f = type.getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private StrictSchemas() {}
}
