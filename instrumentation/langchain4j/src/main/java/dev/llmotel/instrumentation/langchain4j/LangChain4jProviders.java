package dev.llmotel.instrumentation.langchain4j;

import dev.llmotel.semconv.GenAiValues;
import java.lang.reflect.Method;
import java.util.Locale;

/**
 * The {@code gen_ai.provider.name} of a LangChain4j model: from its {@code provider()} (a
 * ModelProvider enum whose constants grow between releases, so read by name), else from its class
 * name (embedding models before 1.18 have no provider()).
 */
final class LangChain4jProviders {
  static String of(Object model) {
    if (isInProcess(model)) return GenAiValues.PROVIDER_IN_PROCESS;
    String byEnum = fromProviderMethod(model);
    return byEnum != null ? byEnum : fromClassName(model.getClass().getSimpleName());
  }

  /**
   * A model LangChain4j runs in the app's own process (its ONNX embedding models, such as
   * AllMiniLmL6V2EmbeddingModel, all extend AbstractInProcessEmbeddingModel): no provider, no network.
   */
  static boolean isInProcess(Object model) {
    if (model == null) return false;
    for (Class<?> c = model.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      if (c.getName().startsWith("dev.langchain4j.model.embedding.onnx.")
          || c.getSimpleName().equals("AbstractInProcessEmbeddingModel")) {
        return true;
      }
    }
    return false;
  }

  /**
   * An in-process model's name, from its class (AllMiniLmL6V2EmbeddingModel is all-minilm-l6-v2,
   * BgeSmallEnV15QuantizedEmbeddingModel bge-small-en-v15-quantized): its modelName() is "unknown".
   */
  static String inProcessModelName(Object model) {
    Class<?> c = model.getClass();
    while (c.isAnonymousClass() || c.getSimpleName().contains("$")) c = c.getSuperclass();
    String name = c.getSimpleName();
    if (name.endsWith("EmbeddingModel") && name.length() > "EmbeddingModel".length()) {
      name = name.substring(0, name.length() - "EmbeddingModel".length());
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      // A new word at an upper-case letter after a lower-case letter or digit (AllMiniLmL6V2: all-mini-lm-l6-v2).
      if (Character.isUpperCase(ch) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))) out.append('-');
      out.append(Character.toLowerCase(ch));
    }
    return out.toString().replace("mini-lm", "minilm");
  }

  private static String fromProviderMethod(Object model) {
    try {
      Method provider = model.getClass().getMethod("provider");
      Object value = provider.invoke(model);
      if (!(value instanceof Enum)) return null;
      return fromEnumName(((Enum<?>) value).name());
    } catch (Throwable t) {
      return null; // no provider() before 1.18 on embedding models, or a user implementation that throws
    }
  }

  static String fromEnumName(String name) {
    switch (name) {
      case "OPEN_AI": return GenAiValues.PROVIDER_OPENAI;
      case "AZURE_OPEN_AI": return GenAiValues.PROVIDER_AZURE_OPENAI;
      case "ANTHROPIC": return GenAiValues.PROVIDER_ANTHROPIC;
      case "AMAZON_BEDROCK": return GenAiValues.PROVIDER_AWS_BEDROCK;
      case "GOOGLE_AI_GEMINI": return GenAiValues.PROVIDER_GCP_GEMINI;
      case "GOOGLE_VERTEX_AI_GEMINI": return GenAiValues.PROVIDER_GCP_VERTEX_AI;
      case "MISTRAL_AI": return "mistral_ai";
      case "WATSONX": return "ibm.watsonx.ai";
      case "OTHER": return null;
      default: return name.toLowerCase(Locale.ROOT);
    }
  }

  static String fromClassName(String simpleName) {
    if (simpleName.startsWith("AzureOpenAi")) return GenAiValues.PROVIDER_AZURE_OPENAI;
    if (simpleName.startsWith("OpenAi")) return GenAiValues.PROVIDER_OPENAI;
    if (simpleName.startsWith("Anthropic")) return GenAiValues.PROVIDER_ANTHROPIC;
    if (simpleName.startsWith("Ollama")) return "ollama";
    if (simpleName.startsWith("MistralAi")) return "mistral_ai";
    if (simpleName.startsWith("Bedrock")) return GenAiValues.PROVIDER_AWS_BEDROCK;
    if (simpleName.startsWith("GoogleAi")) return GenAiValues.PROVIDER_GCP_GEMINI;
    if (simpleName.startsWith("VertexAi")) return GenAiValues.PROVIDER_GCP_VERTEX_AI;
    return "langchain4j";
  }

  private LangChain4jProviders() {}
}
