package dev.llmotel.instrumentation.springai;

import dev.llmotel.core.SafeHooks;
import dev.llmotel.semconv.GenAiValues;
import org.springframework.ai.model.observation.ModelObservationContext;

/** Spring AI's AiProvider names (its observation metadata) as {@code gen_ai.provider.name} values. */
final class SpringAiProviders {
  /** The provider a model call's observation names. */
  static String of(ModelObservationContext<?, ?> ai) {
    String provider = null;
    try {
      provider = ai.getOperationMetadata().provider();
    } catch (Throwable t) {
      SafeHooks.failed("spring ai provider", t);
    }
    return of(provider);
  }

  static String of(String springAiProvider) {
    if (springAiProvider == null || springAiProvider.isEmpty()) return "spring_ai";
    switch (springAiProvider) {
      case "openai":
      case "openai_sdk":
        return GenAiValues.PROVIDER_OPENAI;
      case "azure-openai":
        return GenAiValues.PROVIDER_AZURE_OPENAI;
      case "bedrock_converse":
        return GenAiValues.PROVIDER_AWS_BEDROCK;
      case "vertex_ai":
        return GenAiValues.PROVIDER_GCP_VERTEX_AI;
      case "google_genai":
        return GenAiValues.PROVIDER_GCP_GEMINI;
      default:
        return springAiProvider; // anthropic, ollama, mistral_ai, deepseek, ... already semconv-shaped
    }
  }

  private SpringAiProviders() {}
}
