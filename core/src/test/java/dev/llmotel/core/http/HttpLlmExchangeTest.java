package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.semconv.LlmOtelAttributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The raw-HTTP layer under an LLM span it cannot reach: no second span, the headers still enrich the trace. */
class HttpLlmExchangeTest {
  @Test
  void underAnotherClassLoadersLlmSpanTheRateLimitHeadersGoOntoTheSpanCurrentAtTheRequest() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    LlmInstrumenter instrumenter = LlmInstrumenter.create(sdk, "test-http", "1");
    Span outer = sdk.getTracer("framework").spanBuilder("chat gpt-4o-mini").startSpan();
    // What another copy of llm-otel (another class loader) puts in the context: a key of the same
    // name that is not this copy's key, holding that copy's open call (shown as LlmCall shows one).
    Object otherCopysCall = otherCopysCall(true);
    Context foreign = Context.root().with(outer).with(ContextKey.named("llm-otel-call"), otherCopysCall);
    HttpLlmExchange exchange;
    try (Scope ignored = foreign.makeCurrent()) {
      exchange = HttpLlmExchange.start(instrumenter, "POST", "http://127.0.0.1:8080/v1/chat/completions",
          "127.0.0.1", 8080, "/v1/chat/completions", () -> {
            throw new AssertionError("the outer span's layer has the request; its body is not read again");
          });
    }
    assertNotNull(exchange);
    assertNull(exchange.refusal(), "the outer layer's policies decide");
    Map<String, String> headers = new HashMap<>();
    headers.put("x-ratelimit-remaining-requests", "499");
    headers.put("x-ratelimit-remaining-tokens", "149000");
    exchange.onResponse(200, headers::get);
    assertNull(exchange.tap("application/json"), "the outer layer reads the body");
    exchange.closeScope();
    outer.end();

    assertEquals(1, spans.getFinishedSpanItems().size(), "no second LLM span");
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertEquals("499", span.getAttributes().get(LlmOtelAttributes.RATELIMIT_REMAINING_REQUESTS));
    assertEquals("149000", span.getAttributes().get(LlmOtelAttributes.RATELIMIT_REMAINING_TOKENS));
  }

  /**
   * A completion callback runs in the context of the call that finished: a request made there,
   * whichever class loader's copy made the finished call, is a call of its own (span, governance).
   */
  @Test
  void aRequestInTheContextOfAFinishedCallIsACallOfItsOwn() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    LlmInstrumenter instrumenter = LlmInstrumenter.create(sdk, "test-http", "1");
    byte[] body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    dev.llmotel.core.LlmCall finished = new dev.llmotel.core.LlmCall("openai", "chat");
    Context finishedContext = instrumenter.start(Context.root(), finished);
    instrumenter.end(finishedContext, finished, null);
    Context otherCopysFinished = Context.root().with(ContextKey.named("llm-otel-call"), otherCopysCall(false));
    for (Context callback : new Context[] {finishedContext, otherCopysFinished}) {
      HttpLlmExchange exchange;
      try (Scope ignored = callback.makeCurrent()) {
        exchange = HttpLlmExchange.start(instrumenter, "POST", "http://127.0.0.1:8080/v1/chat/completions",
            "127.0.0.1", 8080, "/v1/chat/completions", () -> body);
      }
      assertNotNull(exchange);
      exchange.onResponse(200, name -> null);
      exchange.failed(new java.io.IOException("closed"));
      exchange.closeScope();
    }
    List<SpanData> ended = spans.getFinishedSpanItems();
    assertEquals(3, ended.size(), "the finished call and one call of its own per callback: " + ended);
    for (SpanData span : ended.subList(1, 3)) {
      assertEquals("chat gpt-4o-mini", span.getName());
      assertEquals("test-http", span.getInstrumentationScopeInfo().getName());
    }
  }

  /** What another copy's LlmCall shows in a context's text. */
  private static Object otherCopysCall(boolean open) {
    return new Object() {
      @Override
      public String toString() {
        return open ? "llm-otel call open" : "llm-otel call ended";
      }
    };
  }
}
