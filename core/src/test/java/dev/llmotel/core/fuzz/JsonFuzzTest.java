package dev.llmotel.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.llmotel.core.Json;

/**
 * Our strict JSON reader (operator files: policies, prices, prompt registry, redaction rules) on
 * any text: it returns a value or throws IllegalArgumentException with a position, nothing else:
 * no other exception, no stack overflow on deep nesting, no endless loop.
 */
class JsonFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void parse(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      Json.parse(text);
    } catch (IllegalArgumentException expected) {
      // a clear error for a broken file: what the caller reports in one log line
    }
  }
}
