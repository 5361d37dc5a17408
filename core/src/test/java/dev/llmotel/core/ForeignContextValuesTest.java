package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import org.junit.jupiter.api.Test;

/** Another copy's context values, found by key name: from the context's entries, and from its text where it has none. */
class ForeignContextValuesTest {
  /** What another class loader's copy puts in: a key of the same name (another instance), a value shown by its text. */
  private static Object shown(String text) {
    return new Object() {
      @Override
      public String toString() {
        return text;
      }
    };
  }

  @Test
  void findsAnotherCopysValueByTheKeysName() {
    Context context = Context.root().with(ContextKey.named("something-else"), "x")
        .with(ContextKey.named("llm-otel-call"), shown(LlmCall.OPEN));
    assertTrue(ForeignContextValues.hasValue(context, "llm-otel-call", LlmCall.OPEN));
    assertEquals(LlmCall.OPEN, ForeignContextValues.valueText(context, "llm-otel-call"));
    assertFalse(ForeignContextValues.hasValue(context, "llm-otel-call", "llm-otel call ended"));
    assertNull(ForeignContextValues.valueText(context, "llm-otel-agent-run"));
    assertFalse(ForeignContextValues.hasValue(Context.root(), "llm-otel-call", LlmCall.OPEN));
  }

  @Test
  void anyOfSeveralCopiesKeysOfTheSameNameCounts() {
    Context context = Context.root().with(ContextKey.named("llm-otel-call"), shown("llm-otel call ended"))
        .with(ContextKey.named("llm-otel-call"), shown(LlmCall.OPEN));
    assertTrue(ForeignContextValues.hasValue(context, "llm-otel-call", LlmCall.OPEN));
    Context ended = Context.root().with(ContextKey.named("llm-otel-call"), shown("llm-otel call ended"));
    assertFalse(ForeignContextValues.hasValue(ended, "llm-otel-call", LlmCall.OPEN));
  }

  @Test
  void aContextThatKeepsItsEntriesOtherwiseIsReadFromItsText() {
    Context wrapped = new Context() {
      @Override
      public <V> V get(ContextKey<V> key) {
        return null;
      }

      @Override
      public <V> Context with(ContextKey<V> key, V value) {
        return this;
      }

      @Override
      public String toString() {
        return "{opentelemetry-trace-span-key=span, llm-otel-agent-run=agent-run 00f067aa0ba902b7, "
            + "llm-otel-call=" + LlmCall.OPEN + "}";
      }
    };
    assertTrue(ForeignContextValues.hasValue(wrapped, "llm-otel-call", LlmCall.OPEN));
    assertEquals("agent-run 00f067aa0ba902b7", ForeignContextValues.valueText(wrapped, "llm-otel-agent-run"));
    assertEquals(LlmCall.OPEN, ForeignContextValues.valueText(wrapped, "llm-otel-call"));
  }
}
