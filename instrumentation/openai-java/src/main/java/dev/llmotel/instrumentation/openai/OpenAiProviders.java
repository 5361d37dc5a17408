package dev.llmotel.instrumentation.openai;

import com.openai.core.ClientOptions;
import dev.llmotel.semconv.GenAiValues;
import java.util.Locale;

/** gen_ai.provider.name from where the SDK client points: Azure OpenAI or OpenAI itself. */
final class OpenAiProviders {
  static String provider(ClientOptions options) {
    try {
      String baseUrl = options.baseUrl();
      if (baseUrl != null && baseUrl.toLowerCase(Locale.ROOT).contains(".openai.azure.com")) {
        return GenAiValues.PROVIDER_AZURE_OPENAI;
      }
    } catch (Throwable ignored) {
      // fall through to the default
    }
    return GenAiValues.PROVIDER_OPENAI;
  }

  private OpenAiProviders() {}
}
