package dev.llmotel.instrumentation.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trace context in params._meta: a copy carries it out, the app's params are never changed, the server reads it back. */
class McpMetaTest {
  static final SpanContext CLIENT = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
      TraceFlags.getSampled(), TraceState.getDefault());

  @BeforeAll
  static void propagators() {
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(OpenTelemetry.propagating(ContextPropagators.create(W3CTraceContextPropagator.getInstance())));
  }

  @AfterAll
  static void reset() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void theCopyCarriesTheContextAndTheAppsParamsStayAsTheyWere() {
    Map<String, Object> appMeta = Collections.unmodifiableMap(Collections.singletonMap("progressToken", "p1"));
    Map<String, Object> app = new HashMap<>();
    app.put("name", "get_weather");
    app.put("_meta", appMeta);
    Map<String, Object> sent = McpMeta.withContext(app, Context.root().with(Span.wrap(CLIENT)));
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) sent.get("_meta");
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", meta.get("traceparent"));
    assertEquals("p1", meta.get("progressToken"), "the app's own _meta entries go along");
    assertEquals("get_weather", sent.get("name"));
    assertSame(appMeta, app.get("_meta"), "the app's params are untouched (frameworks pass immutable maps)");
    assertEquals(1, appMeta.size());
    assertTrue(McpMeta.withContext(null, Context.root().with(Span.wrap(CLIENT))).containsKey("_meta"),
        "a request without params (ping) gets params holding only _meta");
  }

  @Test
  void theServerReadsTheContextBackAndIgnoresGarbage() {
    Map<String, Object> sent = McpMeta.withContext(null, Context.root().with(Span.wrap(CLIENT)));
    Context extracted = McpMeta.extract(sent, Context.root());
    assertEquals(CLIENT.getTraceId(), Span.fromContext(extracted).getSpanContext().getTraceId());
    assertTrue(Span.fromContext(extracted).getSpanContext().isRemote());
    Context base = Context.root();
    assertSame(base, McpMeta.extract(Collections.singletonMap("_meta", "not a map"), base));
    assertSame(base, McpMeta.extract("not params", base));
    Map<String, Object> forged = Collections.singletonMap("_meta",
        Collections.singletonMap("traceparent", "00-zzzz-not-a-trace-01"));
    assertTrue(!Span.fromContext(McpMeta.extract(forged, base)).getSpanContext().isValid(), "a malformed traceparent is no parent");
    assertNull(McpSchemaAccess.target("tools/list", forged));
    assertEquals("echo", McpSchemaAccess.target("tools/call", Collections.singletonMap("name", "echo")));
  }

  @Test
  void theModernApisMetaArgumentGoesOutInACopyWithTheTraceContext() {
    Map<String, Object> appMeta = Collections.singletonMap("tenant", "acme");
    Map<String, Object> sent = McpMeta.metaWithContext(appMeta, Context.root().with(Span.wrap(CLIENT)));
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", sent.get("traceparent"));
    assertEquals("acme", sent.get("tenant"));
    assertEquals(1, appMeta.size(), "the app's map is untouched");
    assertEquals(Collections.singleton("traceparent"),
        McpMeta.metaWithContext(null, Context.root().with(Span.wrap(CLIENT))).keySet());
    assertSame(appMeta, ModernMcpClientCalls.meta(new Object(), appMeta), "nothing traced: the app's own meta");
  }
}
