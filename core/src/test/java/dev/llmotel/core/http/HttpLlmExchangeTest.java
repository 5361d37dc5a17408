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
    // name that is not this copy's key, holding that copy's call.
    Object otherCopysCall = new Object();
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
}
