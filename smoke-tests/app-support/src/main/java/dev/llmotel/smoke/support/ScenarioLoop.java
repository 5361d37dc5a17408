package dev.llmotel.smoke.support;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The scenario loop the agent-framework smoke apps share (source added to each app module). Each
 * scenario runs inside an app span "scenario NAME" and prints "RESULT NAME ok DETAIL" or "RESULT
 * NAME error CLASS MESSAGE". Arguments: {@code BASE_URL [--rounds=R1;R2;...] SCENARIO...}; with
 * rounds, every scenario runs once per round, named ROUND/SCENARIO, with llm-otel's test-only fault
 * switch set to the round (the stages of its hooks that must fail).
 */
public final class ScenarioLoop {
  static final String FAULT_SWITCH = "llm-otel.internal.test.fail-hooks";
  static final String PROMETHEUS_DUMP = "smoke.prometheus.dump";

  /** One scenario of the app: returns the detail printed after "ok". */
  public interface Scenarios {
    String run(String scenario) throws Exception;
  }

  private final Tracer tracer = GlobalOpenTelemetry.getTracer("smoke-app");

  /**
   * Runs the scenarios the arguments name, then exits the JVM (the agent flushes on exit). With
   * {@value #PROMETHEUS_DUMP} set, the agent's Prometheus endpoint is scraped first and written to
   * that file: the metrics as a Prometheus server would read them, for the dashboard and alert checks.
   */
  public static void runAll(String[] args, Scenarios scenarios) {
    new ScenarioLoop().loop(args, scenarios);
    if (Boolean.getBoolean(EvaluationThreads.AWAIT_PROPERTY)) {
      try {
        System.out.println("evaluation threads idle: " + EvaluationThreads.awaitIdle());
      } catch (InterruptedException | RuntimeException e) {
        System.out.println("evaluations not awaited: " + e);
      }
    }
    String dump = System.getProperty(PROMETHEUS_DUMP);
    if (dump != null) scrapeTo(dump);
    System.out.println("DONE");
    System.out.flush();
    System.exit(0);
  }

  private void loop(String[] args, Scenarios scenarios) {
    List<String> rounds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--rounds=")) {
        rounds.addAll(Arrays.asList(args[i].substring("--rounds=".length()).split(";")));
      } else {
        names.add(args[i]);
      }
    }
    if (rounds.isEmpty()) {
      for (String name : names) run(name, name, scenarios);
      return;
    }
    for (String round : rounds) {
      System.setProperty(FAULT_SWITCH, round);
      for (String name : names) run(round + "/" + name, name, scenarios);
    }
    System.setProperty(FAULT_SWITCH, "");
  }

  /**
   * With this set, each scenario runs with the baggage {@code llm_otel.workflow=scenario NAME}, as an app
   * names its kinds of work: inside an agent run the workflow is otherwise the agent's name.
   */
  static final String WORKFLOW_BAGGAGE = "smoke.scenario-workflow";

  private void run(String label, String scenario, Scenarios scenarios) {
    Span span = tracer.spanBuilder("scenario " + label).startSpan();
    io.opentelemetry.context.Context context = span.storeInContext(io.opentelemetry.context.Context.current());
    if (Boolean.getBoolean(WORKFLOW_BAGGAGE)) {
      context = io.opentelemetry.api.baggage.Baggage.current().toBuilder()
          .put("llm_otel.workflow", "scenario " + label).build().storeInContext(context);
    }
    try (Scope ignored = context.makeCurrent()) {
      System.out.println("RESULT " + label + " ok " + scenarios.run(scenario));
    } catch (Throwable t) {
      Throwable failure = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
      System.out.println("RESULT " + label + " error " + failure.getClass().getName() + " " + failure.getMessage());
    } finally {
      span.end();
    }
  }

  private static void scrapeTo(String file) {
    try {
      java.net.URL url = new java.net.URL("http://localhost:" + System.getProperty("otel.exporter.prometheus.port")
          + "/metrics");
      java.net.HttpURLConnection c = (java.net.HttpURLConnection) url.openConnection();
      c.setRequestProperty("Accept", "text/plain; version=0.0.4");
      try (java.io.InputStream in = c.getInputStream()) {
        java.nio.file.Files.copy(in, java.nio.file.Paths.get(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      System.out.println("SCRAPED " + file);
    } catch (Exception e) {
      System.out.println("SCRAPE FAILED " + e);
    }
  }

  private ScenarioLoop() {}
}
