package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LlmOtelConfigTest {
  private static final String KEY = "llm-otel.test.some-setting";

  @AfterEach
  void clear() {
    System.clearProperty(KEY);
  }

  @Test
  void booleanFallsBackToTheDefaultOnAnInvalidValue() {
    System.setProperty(KEY, "yes please");
    assertFalse(LlmOtelConfig.readBoolean(KEY, false));
    System.setProperty(KEY, "TRUE");
    assertTrue(LlmOtelConfig.readBoolean(KEY, false));
  }

  @Test
  void intOutsideItsRangeFallsBackToTheDefault() {
    System.setProperty(KEY, "-5");
    assertEquals(42, LlmOtelConfig.readInt(KEY, 42, 0, 100));
    System.setProperty(KEY, "12x");
    assertEquals(42, LlmOtelConfig.readInt(KEY, 42, 0, 100));
    System.setProperty(KEY, " 7 ");
    assertEquals(7, LlmOtelConfig.readInt(KEY, 42, 0, 100));
  }

  @Test
  void captureIsOffByDefault() {
    assertFalse(LlmOtelConfig.get().captureContent());
  }
}
