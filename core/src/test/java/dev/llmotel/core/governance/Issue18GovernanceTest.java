package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.core.LlmCall;
import dev.llmotel.core.LlmMessage;
import dev.llmotel.core.ToolDefinition;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRoute;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRouteSource;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes as workflows, no fingerprint without a template, costs without binary noise (issue 18). */
class Issue18GovernanceTest {

  /** A request is "METHOD path"; the server framework knows its route only later (as Spring MVC does). */
  private static final class Getter implements HttpServerAttributesGetter<String, Integer> {
    @Override public String getHttpRequestMethod(String r) { return r.substring(0, r.indexOf(' ')); }
    @Override public List<String> getHttpRequestHeader(String r, String name) { return Collections.emptyList(); }
    @Override public Integer getHttpResponseStatusCode(String r, Integer status, Throwable e) { return status; }
    @Override public List<String> getHttpResponseHeader(String r, Integer s, String name) { return Collections.emptyList(); }
    @Override public String getUrlScheme(String r) { return "http"; }
    @Override public String getUrlPath(String r) { return r.substring(r.indexOf(' ') + 1); }
    @Override public String getUrlQuery(String r) { return null; }
  }

  @Test
  void theRouteTheServerInstrumentationKnowsDuringTheRequestIsTheWorkflow() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    Getter getter = new Getter();
    Instrumenter<String, Integer> server = Instrumenter.<String, Integer>builder(otel, "test-server", r -> "GET")
        .addAttributesExtractor(HttpServerAttributesExtractor.create(getter))
        .addContextCustomizer(HttpServerRoute.create(getter))
        .buildInstrumenter(io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor.alwaysServer());
    String request = "GET /model/42";
    Context context = server.start(Context.root(), request);
    // Before the framework has found the handler: no route yet, the root span's name decides.
    assertEquals("GET", Workflows.entryPoint(context));
    // The controller instrumentation names the route (Spring MVC's handler mapping, JAX-RS, ...); the server
    // span gets the attribute only when it ends.
    HttpServerRoute.update(context, HttpServerRouteSource.CONTROLLER, "/model/{id}");
    assertEquals("/model/{id}", Workflows.entryPoint(context));
    Workflows workflows = new Workflows(10);
    assertEquals("/model/{id}", workflows.resolve(context, new PolicySettings()));
    server.end(context, request, 200, null);
    SpanData ended = spans.getFinishedSpanItems().get(0);
    assertEquals("/model/{id}", ended.getAttributes().get(AttributeKey.stringKey("http.route")),
        "the same value the server span ends with");
  }

  private static Governance governance() {
    return new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), new PolicySettings(), 100);
  }

  @Test
  void aCallWithoutATemplateHasNoFingerprintNoVersionAndNoNewVersionEvent() {
    Governance g = governance();
    LlmCall userOnly = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    userOnly.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("What is the weather in Paris?")));
    g.beforeCall(Context.root(), userOnly);
    assertNull(userOnly.governance().promptFingerprint());
    assertNull(userOnly.governance().promptVersion());
    assertFalse(userOnly.governance().newPromptVersion());
    assertNull(userOnly.governance().requestHash(), "the whole request is not hashed when nothing uses it");
    PolicySettings loopGuard = new PolicySettings();
    loopGuard.loopGuardMode = PolicySettings.Mode.MONITOR;
    LlmCall counted = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    counted.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("What is the weather in Paris?")));
    new Governance(PromptRegistry.EMPTY, PriceTable.bundled(), loopGuard, 100).beforeCall(Context.root(), counted);
    assertNotNull(counted.governance().requestHash(), "hashed (and on the span) when the loop guard counts it");
    assertEquals(counted.governance().requestHash(), userOnly.requestHash(), "the same request, the same hash on demand");

    LlmCall embedding = new LlmCall("openai", "embeddings").request().requestModel("text-embedding-3-small").call();
    embedding.request().inputMessages().add(new LlmMessage("user").add(LlmMessage.Part.text("Paris")));
    g.beforeCall(Context.root(), embedding);
    assertNull(embedding.governance().promptFingerprint());
    assertNull(embedding.governance().promptVersion());
    assertFalse(embedding.governance().newPromptVersion());

    LlmCall withTool = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    withTool.request().toolDefinitions().add(new ToolDefinition("function", "get_weather", "Weather in a city", "{}"));
    g.beforeCall(Context.root(), withTool);
    assertEquals(16, withTool.governance().promptFingerprint().length(), "tool definitions are a template");
    assertEquals(withTool.governance().promptFingerprint(), withTool.governance().promptVersion());
    assertTrue(withTool.governance().newPromptVersion());

    LlmCall withSystem = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    withSystem.request().systemInstructions().add(LlmMessage.Part.text("You are brief."));
    g.beforeCall(Context.root(), withSystem);
    assertNotNull(withSystem.governance().promptFingerprint());
    assertTrue(withSystem.governance().newPromptVersion());
    LlmCall again = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call();
    again.request().systemInstructions().add(LlmMessage.Part.text("You are brief."));
    g.beforeCall(Context.root(), again);
    assertFalse(again.governance().newPromptVersion(), "one event per fingerprint");
  }

  @Test
  void costsAreRoundedToTenSignificantDigits() {
    assertEquals(1.41e-05, PriceTable.roundCost(1.4100000000000002e-05), 0);
    assertEquals("1.41E-5", Double.toString(PriceTable.roundCost(1.4100000000000002e-05)));
    assertEquals(0.0195, PriceTable.roundCost(0.019500000000000003), 0);
    assertEquals(1234.567891, PriceTable.roundCost(1234.5678910000001), 0);
    assertEquals(1.234567891e-13, PriceTable.roundCost(1.2345678914e-13), 0);
    assertEquals(0, PriceTable.roundCost(0), 0);
    // 33 input and 7 output tokens of gpt-4o-mini (0.15 / 0.60 USD per million): 9.15e-06 exactly.
    LlmCall call = new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").call().response().responseModel("gpt-4o-mini").call();
    call.response().usage(33L, 7L);
    assertEquals("9.15E-6", String.valueOf(governance().costOf(call)));
    for (long in = 1; in < 2000; in += 37) {
      for (long out = 1; out < 500; out += 13) {
        double exact = (in * 0.15 + out * 0.6) / 1_000_000d;
        double rounded = PriceTable.bundled().find("openai", "gpt-4o-mini").cost(in, out, 0, 0);
        assertEquals(exact, rounded, 1e-15);
        assertTrue(Double.toString(rounded).length() <= 16, Double.toString(rounded));
      }
    }
  }
}
