package dev.llmotel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent run's span encloses its model calls, whichever ends first in the framework's code. */
class AgentRunTest {
  private InMemorySpanExporter spans;
  private LlmInstrumenter calls;
  private AgentInstrumenter agents;

  @BeforeEach
  void setUp() {
    spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .build();
    calls = LlmInstrumenter.create(sdk, "test-scope", "1");
    agents = AgentInstrumenter.create(sdk, "test-scope", "1");
  }

  private static LlmCall chat() {
    return new LlmCall("openai", "chat").request().requestModel("gpt-4o-mini").server("https://api.openai.com/v1").call();
  }

  private SpanData span(String name) {
    List<SpanData> found = spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .collect(Collectors.toList());
    assertEquals(1, found.size(), found.toString());
    return found.get(0);
  }

  @Test
  void aRunEndedBeforeItsStreamedCallEndsWhenTheCallDoes() {
    AgentRun run = new AgentRun("WeatherAgent");
    Context agent = agents.startAgent(Context.root(), run);
    LlmCall call = chat();
    Context chat = calls.start(agent, call);

    // Reactor runs the downstream doFinally (the run's) before the upstream one (the call's).
    agents.endAgent(agent, run, null);
    assertTrue(spans.getFinishedSpanItems().isEmpty(), "the run waits for its open call");

    calls.end(chat, call, null);
    SpanData runSpan = span("invoke_agent WeatherAgent");
    SpanData chatSpan = span("chat gpt-4o-mini");
    assertEquals(runSpan.getSpanId(), chatSpan.getParentSpanId());
    assertTrue(runSpan.getEndEpochNanos() >= chatSpan.getEndEpochNanos());
  }

  @Test
  void aRunWithNoOpenCallEndsAtOnceAndACallEndedTwiceCountsOnce() {
    AgentRun run = new AgentRun("A");
    Context agent = agents.startAgent(Context.root(), run);
    LlmCall first = chat();
    Context firstContext = calls.start(agent, first);
    LlmCall second = chat();
    Context secondContext = calls.start(agent, second);
    calls.end(firstContext, first, null);
    calls.end(firstContext, first, null); // a second end of the same call: ignored
    agents.endAgent(agent, run, null);
    assertEquals(1, spans.getFinishedSpanItems().size(), "the run still waits for the second call");
    calls.end(secondContext, second, null);
    assertEquals(3, spans.getFinishedSpanItems().size());

    AgentRun idle = new AgentRun("Idle");
    agents.endAgent(agents.startAgent(Context.root(), idle), idle, null);
    span("invoke_agent Idle");
  }

  @Test
  void runsEndedWhileTheirCallsEndOnOtherThreadsEachEndOnceAfterTheirCalls() throws Exception {
    int threads = 32;
    int rounds = 50;
    for (int round = 0; round < rounds; round++) {
      spans.reset();
      CyclicBarrier barrier = new CyclicBarrier(threads * 2);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        AgentRun run = new AgentRun("run-" + i);
        Context agent = agents.startAgent(Context.root(), run);
        LlmCall call = chat().request().requestModel("model-" + i).call();
        Context chat = calls.start(agent, call);
        workers.add(new Thread(() -> {
          await(barrier);
          agents.endAgent(agent, run, null);
        }));
        workers.add(new Thread(() -> {
          await(barrier);
          calls.end(chat, call, null);
        }));
      }
      workers.forEach(Thread::start);
      for (Thread t : workers) t.join();

      Map<String, SpanData> byName = spans.getFinishedSpanItems().stream()
          .collect(Collectors.toMap(SpanData::getName, Function.identity()));
      assertEquals(threads * 2, byName.size(), "every span ended exactly once");
      for (int i = 0; i < threads; i++) {
        SpanData runSpan = byName.get("invoke_agent run-" + i);
        SpanData chatSpan = byName.get("chat model-" + i);
        assertTrue(runSpan.getEndEpochNanos() >= chatSpan.getEndEpochNanos(), "round " + round + " run " + i);
      }
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
