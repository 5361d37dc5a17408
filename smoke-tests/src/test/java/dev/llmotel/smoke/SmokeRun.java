package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.llmotel.testkit.fakellm.FakeLlmServer;
import dev.llmotel.testkit.fakellm.RecordedRequest;
import dev.llmotel.testkit.fakellm.ServedUsage;
import dev.llmotel.testkit.otlp.OtlpReceiver;
import dev.llmotel.testkit.otlp.ReceivedSpan;
import dev.llmotel.testkit.otlp.TraceTreePrinter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One launched smoke app and what it produced: the fake LLM it talked to, the OTLP it exported,
 * and what it printed. Scenario lookups assume each scenario ran inside an app span "scenario NAME".
 */
final class SmokeRun implements AutoCloseable {
  final FakeLlmServer llm;
  final OtlpReceiver receiver;
  AgentApp app;

  SmokeRun() {
    llm = FakeLlmServer.start(0);
    receiver = OtlpReceiver.start();
  }

  /** Runs the OpenAI smoke app (the given SDK build) through the scenarios and waits for telemetry. */
  SmokeRun launch(String name, String sdk, String javaHome, Map<String, String> properties,
      List<String> scenarios) throws Exception {
    return launchApp(name, "openai-app-" + sdk, "dev.llmotel.smoke.openai.OpenAiSmokeApp", javaHome, properties,
        scenarios);
  }

  /** Runs a smoke app module's main class through the scenarios and waits for telemetry. */
  SmokeRun launchApp(String name, String appModule, String mainClass, String javaHome,
      Map<String, String> properties, List<String> scenarios) throws Exception {
    return launchApp(name, appModule, mainClass, javaHome, properties, scenarios, "gen_ai.client.operation.duration");
  }

  /** The same, for an app whose first metric (awaited after it exits) is {@code firstMetric}. */
  SmokeRun launchApp(String name, String appModule, String mainClass, String javaHome,
      Map<String, String> properties, List<String> scenarios, String firstMetric) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(llm.baseUrl() + "/v1");
    args.addAll(scenarios);
    app = AgentApp.run(name, javaHome, AgentApp.appClasspath(appModule), mainClass, receiver.endpoint(),
        properties, args);
    // The app has exited, so the agent flushed on shutdown; wait briefly for late exports.
    receiver.awaitSpans(s -> s.name().startsWith("scenario "), scenarios.size(), Duration.ofSeconds(10));
    receiver.awaitMetric(firstMetric, Duration.ofSeconds(10));
    System.out.println(TraceTreePrinter.renderAll(receiver.spans()));
    return this;
  }

  /** The same app and scenarios without the agent: what the app sees on its own. */
  SmokeRun launchWithoutAgent(String name, String sdk, String javaHome, List<String> scenarios) throws Exception {
    return launchAppWithoutAgent(name, "openai-app-" + sdk, "dev.llmotel.smoke.openai.OpenAiSmokeApp", javaHome,
        scenarios);
  }

  SmokeRun launchAppWithoutAgent(String name, String appModule, String mainClass, String javaHome,
      List<String> scenarios) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(llm.baseUrl() + "/v1");
    args.addAll(scenarios);
    app = AgentApp.runWithoutAgent(name, javaHome, AgentApp.appClasspath(appModule), mainClass, args);
    return this;
  }

  /**
   * Runs every scenario once per round, named ROUND/SCENARIO, with llm-otel's fault switch set to
   * the round (see OpenAiSmokeApp); the JVM starts with the switch armed but empty.
   */
  SmokeRun launchRounds(String name, String sdk, String javaHome, Map<String, String> properties,
      List<String> rounds, List<String> scenarios) throws Exception {
    return launchAppRounds(name, "openai-app-" + sdk, "dev.llmotel.smoke.openai.OpenAiSmokeApp", javaHome,
        properties, rounds, scenarios);
  }

  SmokeRun launchAppRounds(String name, String appModule, String mainClass, String javaHome,
      Map<String, String> properties, List<String> rounds, List<String> scenarios) throws Exception {
    List<String> args = new ArrayList<>();
    args.add(llm.baseUrl() + "/v1");
    args.add("--rounds=" + String.join(";", rounds));
    args.addAll(scenarios);
    Map<String, String> armed = new java.util.HashMap<>(properties);
    armed.put("llm-otel.internal.test.fail-hooks", "");
    app = AgentApp.run(name, javaHome, AgentApp.appClasspath(appModule), mainClass, receiver.endpoint(), armed, args);
    receiver.awaitSpans(s -> s.name().startsWith("scenario "), rounds.size() * scenarios.size(),
        Duration.ofSeconds(10));
    return this;
  }

  /** A launch of a smoke app, for {@link #launchTogether}. */
  interface Launch {
    void run() throws Exception;
  }

  /**
   * Runs independent launches (each with its own fake server and receiver) two at a time: one app's
   * start-up, retries and waits overlap another's, which shortens the suite on two cores. Nothing is
   * shared between them; a failed launch fails the caller with its own exception.
   */
  static void launchTogether(Launch... launches) throws Exception {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<?>> started = new ArrayList<>();
      for (Launch launch : launches) {
        started.add(pool.submit(() -> {
          launch.run();
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> f : started) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Exception) throw (Exception) e.getCause();
          throw e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  ReceivedSpan scenario(String name) {
    List<ReceivedSpan> found = receiver.spans(s -> s.name().equals("scenario " + name));
    assertEquals(1, found.size(), "one app span for scenario " + name + "; app output:\n" + tail());
    return found.get(0);
  }

  /** The LLM spans (any gen_ai.operation.name) of a scenario's trace, in start order. */
  List<ReceivedSpan> llmSpans(String scenario) {
    ReceivedSpan root = scenario(scenario);
    return receiver.trace(root.traceId()).stream()
        .filter(s -> s.hasAttr("gen_ai.operation.name"))
        .sorted((a, b) -> Long.compare(a.startEpochNanos(), b.startEpochNanos()))
        .collect(Collectors.toList());
  }

  ReceivedSpan onlyLlmSpan(String scenario) {
    List<ReceivedSpan> spans = llmSpans(scenario);
    assertEquals(1, spans.size(), "exactly one LLM span for " + scenario + ": " + spans);
    ReceivedSpan span = spans.get(0);
    assertEquals(scenario(scenario).spanId(), span.parentSpanId(), "LLM span is a child of the app's span");
    return span;
  }

  /**
   * The usage the fake server sent for the scenario's last request: its only one, or the attempt a retry
   * got answered.
   */
  ServedUsage servedUsage(String scenario) {
    List<RecordedRequest> sent = llm.requests(scenario);
    assertFalse(sent.isEmpty(), "the fake server got no request for " + scenario);
    return ServedUsage.of(sent.get(sent.size() - 1));
  }

  /**
   * The span's usage is exactly what the fake server sent for that request, as the provider reported it
   * (not an estimate that happens to be close).
   */
  static void assertServedUsage(ServedUsage served, ReceivedSpan span, String where) {
    assertEquals(served.input(), span.longAttr("gen_ai.usage.input_tokens"),
        where + ": the input tokens the server sent (" + served + "); " + span.attributes());
    assertEquals(served.output(), span.longAttr("gen_ai.usage.output_tokens"),
        where + ": the output tokens the server sent (" + served + "); " + span.attributes());
    assertNull(span.attributes().get("llm_otel.usage.estimated"), where + ": reported, not estimated; " + span.attributes());
  }

  /** {@link #assertServedUsage(ServedUsage, ReceivedSpan, String)} for the scenario's last request. */
  void assertServedUsage(String scenario, ReceivedSpan span) {
    assertServedUsage(servedUsage(scenario), span, scenario);
  }

  String result(String scenario) {
    return app.results.get(scenario);
  }

  /** The app exited normally, printed a result for every scenario and logged no instrumentation error. */
  void assertRanCleanly(int scenarios) {
    assertEquals(0, app.exitCode, tail());
    assertEquals(scenarios, app.results.size(), "results: " + app.results + "\n" + tail());
    assertEquals(java.util.Collections.emptyList(), app.instrumentationErrors());
  }

  String tail() {
    String out = app == null ? "" : app.output;
    return out.length() > 4000 ? out.substring(out.length() - 4000) : out;
  }

  @Override
  public void close() {
    receiver.close();
    llm.close();
  }
}
