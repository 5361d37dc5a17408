package dev.llmotel.instrumentation.springai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Our span riding on Spring AI's observation, without the agent: the app's own observation still
 * sees everything, children find their parent the way Spring AI names it, and no context is left
 * behind on a thread, however Spring AI nests its scopes.
 */
class TracedObservationTest {
  static final ContextKey<String> NAME = ContextKey.named("operation");
  static Tracer tracer;

  @BeforeAll
  static void sdk() {
    SdkTracerProvider traces = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build();
    tracer = OpenTelemetrySdk.builder().setTracerProvider(traces).build().getTracer("test");
    GlobalOpenTelemetry.resetForTest();
  }

  /** An operation whose span is a plain test span named after it. */
  static class NamedOperation extends ObservedOperation {
    final String name;
    final boolean modelCall;
    Context startedUnder;
    Throwable endedWith;
    boolean ended;

    NamedOperation(String name, boolean modelCall) {
      this.name = name;
      this.modelCall = modelCall;
    }

    @Override
    boolean isModelCall() {
      return modelCall;
    }

    @Override
    protected Context begin(Context parent) {
      startedUnder = parent;
      Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
      return parent.with(span).with(NAME, name);
    }

    @Override
    protected void finish(Context context, Throwable error) {
      ended = true;
      endedWith = error;
      Span.fromContext(context).end();
    }
  }

  static TracedObservation traced(Observation original, NamedOperation operation) {
    return new TracedObservation(original, new Observation.Context(), operation);
  }

  @Test
  void theAppsObservationSeesStartErrorAndStopAndOurSpanEndsWithTheError() {
    List<String> seen = new ArrayList<>();
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new ObservationHandler<Observation.Context>() {
      @Override public void onStart(Observation.Context c) { seen.add("start"); }
      @Override public void onError(Observation.Context c) { seen.add("error"); }
      @Override public void onStop(Observation.Context c) { seen.add("stop"); }
      @Override public boolean supportsContext(Observation.Context c) { return true; }
    });
    NamedOperation chat = new NamedOperation("chat", true);
    TracedObservation observation = traced(Observation.createNotStarted("gen_ai.client.operation", registry), chat);
    IllegalStateException failure = new IllegalStateException("provider down");
    try {
      observation.observe(() -> {
        throw failure;
      });
    } catch (IllegalStateException expected) {
      assertSame(failure, expected);
    }
    assertEquals(List.of("start", "error", "stop"), seen);
    assertTrue(chat.ended);
    assertSame(failure, chat.endedWith);
  }

  @Test
  void whileSpringAiRunsTheWorkOurContextIsCurrentAndAfterwardsNothingIsLeft() {
    Context before = Context.current();
    NamedOperation agent = new NamedOperation("agent", false);
    String inside = traced(Observation.NOOP, agent).observe(() -> Context.current().get(NAME));
    assertEquals("agent", inside);
    assertSame(before, Context.current());
  }

  @Test
  void aModelCallNamedAsParentHandsItsOwnParentOnWhileAnAgentHandsItself() {
    NamedOperation agent = new NamedOperation("agent", false);
    TracedObservation agentObservation = traced(Observation.NOOP, agent);
    agentObservation.start();
    NamedOperation chat = new NamedOperation("chat", true);
    TracedObservation chatObservation = traced(Observation.NOOP, chat);
    chatObservation.parentObservation(agentObservation).start();
    assertEquals("agent", chat.startedUnder.get(NAME));

    // Spring AI 1.1 names a streamed call as the parent of the tool round and follow-up it triggers.
    NamedOperation followUp = new NamedOperation("follow-up", true);
    traced(Observation.NOOP, followUp).parentObservation(chatObservation).start();
    assertEquals("agent", followUp.startedUnder.get(NAME));
  }

  @Test
  void withoutANamedParentTheCurrentContextIsTheParent() {
    NamedOperation tool = new NamedOperation("tool", false);
    try (Scope ignored = Context.root().with(NAME, "app").makeCurrent()) {
      traced(Observation.NOOP, tool).start();
    }
    assertEquals("app", tool.startedUnder.get(NAME));
  }

  @Test
  void aStreamedCallsScopeStepsAsideWhenTheParentsScopeClosesFirstAndNothingLeaks() {
    // Spring AI 2.0 opens the parent's scope only around start() of the streamed call, inside the
    // subscription: the parent's scope closes while ours is still open.
    Context before = Context.current();
    NamedOperation agent = new NamedOperation("agent", false);
    TracedObservation agentObservation = traced(Observation.NOOP, agent);
    agentObservation.start();
    NamedOperation chat = new ModelCall("chat");
    List<String> sendingUnder = new ArrayList<>();
    Flux<String> stream = Flux.defer(() -> {
      TracedObservation chatObservation = traced(Observation.NOOP, chat);
      chatObservation.parentObservation(agentObservation);
      try (Observation.Scope ignored = agentObservation.openScope()) {
        chatObservation.start();
      }
      // The request goes out while the subscription is still on this thread: under the chat span.
      sendingUnder.add(Context.current().get(NAME));
      return Flux.just("Fake", " answer").doFinally(s -> chatObservation.stop());
    });
    List<String> chunks = StreamSubscription.wrap(stream).collectList().block();
    assertEquals(List.of("Fake", " answer"), chunks);
    assertEquals(List.of("chat"), sendingUnder);
    assertSame(before, Context.current(), "no scope left open on the subscribing thread");
    assertTrue(chat.ended);
    assertNull(chat.endedWith);
  }

  /** A model call that starts its span like ModelCallOperation: claiming the stream subscription. */
  static final class ModelCall extends NamedOperation {
    ModelCall(String name) {
      super(name, true);
    }

    @Override
    protected Context begin(Context parent) {
      StreamSubscription subscription = StreamSubscription.claim();
      Context context = super.begin(parent);
      if (subscription != null) subscription.attach(new dev.llmotel.core.LlmCall("openai", "chat"), context);
      return context;
    }
  }
}
