package dev.llmotel.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmInstrumenter;
import dev.llmotel.core.PolicyDecision;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Certainty before enforcement, through {@link HttpLlmExchange#start}: a request to an
 * LLM-looking path whose body is not that API's request is left alone (no span, never refused),
 * and one whose body cannot be read keeps its span but is never refused.
 */
class HttpLlmExchangeCertaintyTest {
  private InMemorySpanExporter spans;
  private OpenTelemetrySdk sdk;
  private LlmInstrumenter instrumenter;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    instrumenter = LlmInstrumenter.create(sdk, "test-http", "1");
  }

  private HttpLlmExchange start(String host, String path, HttpLlmExchange.RequestBytes body) {
    return HttpLlmExchange.start(instrumenter, "POST", "https://" + host + path, host, 443, path, body);
  }

  private static HttpLlmExchange.RequestBytes bytes(String body, AtomicInteger reads) {
    return () -> {
      reads.incrementAndGet();
      return body.getBytes(StandardCharsets.UTF_8);
    };
  }

  private List<String> spanNames() {
    return spans.getFinishedSpanItems().stream().map(SpanData::getName).collect(Collectors.toList());
  }

  @Test
  void lookAlikeEndpointsGetNoSpanAndAreNeverRefused() {
    AtomicInteger reads = new AtomicInteger();
    Span app = sdk.getTracer("app").spanBuilder("scenario look-alikes").startSpan();
    try (Scope ignored = app.makeCurrent()) {
      // Five identical POSTs to a messaging API in one trace: the loop guard never sees them.
      for (int i = 0; i < 5; i++) {
        assertNull(start("chat.example", "/chat-service/v1/messages",
            bytes("{\"to\":\"bob\",\"text\":\"lunch at noon?\"}", reads)));
      }
      assertNull(start("tasks.example", "/api/completions", bytes("{\"task\":\"x\"}", reads)));
      assertNull(start("search.example", "/search/embeddings", bytes("q=cats&limit=10", reads)));
      assertNull(start("forms.example", "/v1/responses", bytes("{\"survey\":1}", reads)));
      assertNull(start("api.example", "/v1/chat/completions", bytes("[{\"model\":\"m\",\"messages\":[]}]", reads)));
      assertNull(start("api.example", "/v1/chat/completions", bytes("{\"model\":5,\"messages\":[]}", reads)));
      assertNull(start("api.example", "/v1/chat/completions", bytes("{\"model\":\"m\",\"messages\":[", reads)));
      assertNull(start("api.example", "/v1/chat/completions", () -> new byte[] {'{', (byte) 0xff, '}'}));
      assertNull(start("api.example", "/v1/chat/completions", () -> new byte[0]), "an empty body");
    }
    app.end();
    assertEquals(11, reads.get(), "each body is read once");
    assertEquals(java.util.Collections.singletonList("scenario look-alikes"), spanNames(), "no LLM span");
  }

  @Test
  void aRequestOfTheFormatStillGetsItsSpan() {
    HttpLlmExchange exchange = start("api.anthropic.com", "/v1/messages", bytes("{\"model\":\"claude-sonnet-4\","
        + "\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", new AtomicInteger()));
    assertNotNull(exchange);
    assertNull(exchange.refusal());
    exchange.onResponse(200, name -> null);
    ResponseTap tap = exchange.tap("application/json");
    byte[] answer = ("{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}],"
        + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}").getBytes(StandardCharsets.UTF_8);
    tap.bytes(answer, 0, answer.length);
    tap.end();
    exchange.closeScope();
    assertEquals(java.util.Collections.singletonList("chat claude-sonnet-4"), spanNames());
  }

  @Test
  void aBodyThatCannotBeReadKeepsItsSpanButIsNeverRefused() {
    Span app = sdk.getTracer("app").spanBuilder("scenario one-shot").startSpan();
    try (Scope ignored = app.makeCurrent()) {
      for (int i = 0; i < 6; i++) {
        HttpLlmExchange.RequestBytes body = i % 2 == 0 ? () -> null : () -> {
          throw new IOException("a one-shot body");
        };
        HttpLlmExchange exchange = start("api.openai.com", "/v1/chat/completions", body);
        assertNotNull(exchange, "the endpoint matches: traced");
        assertNull(exchange.refusal(), "never refused");
        assertNull(exchange.fault(), "never faulted");
        exchange.onResponse(200, name -> null);
        exchange.tap("application/json").closed();
        exchange.closeScope();
      }
    }
    app.end();
    List<SpanData> chat = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("chat"))
        .collect(Collectors.toList());
    assertEquals(6, chat.size(), spanNames().toString());
  }

  @Test
  void monitorOnlyTurnsEveryRefusalIntoAMonitorDecision() {
    LlmCall call = new LlmCall("openai", "chat");
    call.governance().addPolicyDecision(new PolicyDecision("loop_guard", true, PolicyDecision.Kind.INVALID_REQUEST, "5 times"));
    call.governance().addPolicyDecision(new PolicyDecision("cost", false, PolicyDecision.Kind.RATE_LIMITED, "budget"));
    assertNotNull(call.governance().refusal());
    call.governance().policiesMonitorOnly();
    assertTrue(call.governance().isPoliciesMonitorOnly());
    assertNull(call.governance().refusal());
    List<PolicyDecision> decisions = call.governance().policyDecisions();
    assertEquals(2, decisions.size());
    assertEquals("loop_guard", decisions.get(0).policy);
    assertEquals(PolicyDecision.WOULD_REFUSE, decisions.get(0).decision);
    assertEquals("5 times", decisions.get(0).message);
    assertEquals(PolicyDecision.Kind.INVALID_REQUEST, decisions.get(0).kind);
    assertEquals(PolicyDecision.WOULD_REFUSE, decisions.get(1).decision);
  }

  @Test
  void underAnSdksSpanALookAlikeBreaksNothing() {
    LlmCall sdkCall = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    Context outer = instrumenter.start(Context.root(), sdkCall);
    assertNotNull(outer);
    try (Scope ignored = outer.makeCurrent()) {
      // Neither fault injection nor record/replay is on: the body is not read, the exchange only enriches.
      HttpLlmExchange exchange = start("chat.example", "/chat-service/v1/messages", () -> {
        throw new AssertionError("not read under an SDK's span");
      });
      if (exchange != null) {
        assertNull(exchange.refusal());
        assertNull(exchange.fault());
        exchange.onResponse(200, name -> null);
        assertNull(exchange.tap("application/json"));
        exchange.closeScope();
      }
    }
    instrumenter.end(outer, sdkCall, null);
    assertEquals(java.util.Collections.singletonList("chat gpt-4o-mini"), spanNames(), "no second span");
  }
}
