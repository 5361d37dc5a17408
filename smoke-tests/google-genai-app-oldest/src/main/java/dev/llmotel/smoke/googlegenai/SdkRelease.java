package dev.llmotel.smoke.googlegenai;

import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.HttpOptions;

/** What differs in the oldest supported release: no retry options, no automatic function calling to turn off. */
final class SdkRelease {
  static HttpOptions.Builder tune(HttpOptions.Builder options) {
    return options;
  }

  static GenerateContentConfig.Builder manualFunctionCalls(GenerateContentConfig.Builder config) {
    return config;
  }

  private SdkRelease() {}
}
