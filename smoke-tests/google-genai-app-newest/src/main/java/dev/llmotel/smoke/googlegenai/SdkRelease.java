package dev.llmotel.smoke.googlegenai;

import com.google.genai.types.AutomaticFunctionCallingConfig;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;

/** What differs in the newest release: short retry delays for the tests, automatic function calling off. */
final class SdkRelease {
  static HttpOptions.Builder tune(HttpOptions.Builder options) {
    return options.retryOptions(HttpRetryOptions.builder().attempts(3).initialDelay(0.05).maxDelay(0.2).build());
  }

  static GenerateContentConfig.Builder manualFunctionCalls(GenerateContentConfig.Builder config) {
    return config.automaticFunctionCalling(AutomaticFunctionCallingConfig.builder().disable(true).build());
  }

  private SdkRelease() {}
}
