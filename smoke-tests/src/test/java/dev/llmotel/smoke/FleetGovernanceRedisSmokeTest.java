package dev.llmotel.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.fakellm.Behaviour;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fleet-wide governance: three replica JVMs of one service under the real agent, started together,
 * one extra flag each ({@code governance.store=redis://...}) pointing at one real redis-server. Each
 * fires 64 concurrent calls against a rate limit of 10 per minute and 64 against a workflow budget
 * that fits nine estimates: the fleet admits 10 and 9, not 30 and 27; and 64 each in one agent run (one
 * trace) whose budget fits six estimates: the fleet admits 6. Each burst starts on every replica at once
 * (a gate the test opens when all are ready), and the admitted calls' answers are held until every call of
 * the fleet has been decided: no count depends on how fast the machine is.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetGovernanceRedisSmokeTest {
  static final int REPLICAS = 3;
  static final List<String> SCENARIOS = Arrays.asList("hold-rate-burst", "hold-budget-burst", "hold-trace-loop",
      "hold-trace-budget-burst", "hold-steady");
  /** Calls per replica in each burst (GovernanceHoldsScenarios.BURST). */
  static final int CALLS_PER_BURST = 64;
  /**
   * One agent run's budget: a hold-trace-budget-burst call is estimated at a little over 0.01 USD (5,000
   * output tokens at the test price of 2 USD per million, plus its input), so six fit and a seventh does not.
   */
  static final double PER_TRACE_USD = 0.065;
  static final String POLICIES = "{\n"
      + "  \"rate_limit\": {\"mode\": \"enforce\", \"models\": {\"gpt-4.1-mini\": 10, \"gpt-4.1-nano\": 100000}},\n"
      + "  \"cost\": {\"mode\": \"enforce\", \"per_trace_usd\": " + PER_TRACE_USD + ",\n"
      + "           \"workflows\": {\"burst\": {\"per_hour_usd\": 0.0195}}},\n"
      + "  \"loop_guard\": {\"mode\": \"enforce\", \"max_repeats\": 2}\n"
      + "}\n";
  /** Redis's password: the replicas take it from governance.store.password; it must reach no log and no telemetry. */
  static final String PASSWORD = "s3cret-redis-pass-4711";
  static final String WRONG_PASSWORD = "not-the-redis-pass-0815";
  /** The one agent run whose steps the three replicas share. */
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  /** The agent run whose burst lands on the three replicas at once, against its one trace budget. */
  static final String BUDGET_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  static final Pattern BURST = Pattern.compile("ok ok=(\\d+) refused=(\\d+) other=(\\d+)");

  Process redis;
  int redisPort;
  SmokeRun run;
  final List<AgentApp> apps = Collections.synchronizedList(new ArrayList<>());
  AgentApp wrongPassword;
  /** The gates' directory: a burst's threads go when the file named after it exists. */
  Path gates;
  /** Bursts whose held answers were released before every call had been decided (a timeout). */
  final List<String> releasedEarly = new ArrayList<>();
  /** What Redis holds for the trace budget's run once every call of it has ended, USD. */
  double traceSpendInRedis = Double.NaN;

  @BeforeAll
  void launch() throws Exception {
    String server = redisServer();
    Assumptions.assumeTrue(server != null, "redis-server not found (Debian's redis-server; .ci/run installs it)");
    try (ServerSocket s = new ServerSocket(0)) {
      redisPort = s.getLocalPort();
    }
    redis = startRedis(server);

    run = new SmokeRun();
    // A budget's reservations settle to the (much smaller) real cost when a call ends: the provider answers
    // the admitted calls only once every call of the fleet has been decided (releaseWhenEveryCallIsDecided).
    CountDownLatch budgetAnswers = new CountDownLatch(1);
    CountDownLatch traceBudgetAnswers = new CountDownLatch(1);
    run.llm.script("hold-budget-burst", held(budgetAnswers));
    run.llm.script("hold-trace-budget-burst", held(traceBudgetAnswers));
    gates = Paths.get(AgentApp.required("smoke.outputDir"), "fleet-gates");
    Files.createDirectories(gates);
    for (String scenario : SCENARIOS) Files.deleteIfExists(gates.resolve(scenario));
    // The markers the test waits for must come from this run's replicas, not from the logs of the last run.
    for (int i = 0; i < REPLICAS; i++) Files.deleteIfExists(replicaLog(i));
    Map<String, String> p = GovernanceFiles.properties("enforce");
    p.put("otel.instrumentation.llm-otel.policy-file", GovernanceFiles.write("policies-fleet.json", POLICIES).toString());
    p.put("otel.instrumentation.llm-otel.governance.store", "redis://127.0.0.1:" + redisPort);
    p.put("otel.instrumentation.llm-otel.governance.store.password", PASSWORD);
    // 192 threads of three JVMs released together on two cores: an admission can wait longer than the default
    // 50 ms for the CPU, and a replica that falls back decides on its own. 500 ms keeps the bursts on the
    // shared store; a paused Redis (1.5 s, below) is still slower than that.
    p.put("otel.instrumentation.llm-otel.governance.store.timeout-ms", "500");
    // One service: later -D wins over AgentApp's per-replica otel.service.name.
    p.put("otel.service.name", "fleet-checkout");
    p.put("smoke.traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
    p.put("smoke.trace-budget.traceparent", "00-" + BUDGET_TRACE_ID + "-b7ad6b7169203331-01");
    p.put("smoke.gate.dir", gates.toString());
    List<String> args = new ArrayList<>();
    args.add(run.llm.baseUrl() + "/v1");
    args.addAll(SCENARIOS);
    ExecutorService starters = Executors.newFixedThreadPool(REPLICAS + 1);
    List<Future<AgentApp>> launched = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      String name = "fleet-replica-" + i;
      launched.add(starters.submit(() -> AgentApp.run(name, System.getProperty("java.home"),
          AgentApp.appClasspath("openai-app-newest"), "dev.llmotel.smoke.openai.OpenAiSmokeApp",
          run.receiver.endpoint(), p, args)));
    }
    // A replica deployed with the wrong password: it must start, serve every call, and say why once.
    Map<String, String> wrong = new java.util.HashMap<>(p);
    wrong.put("otel.instrumentation.llm-otel.governance.store.password", WRONG_PASSWORD);
    Future<AgentApp> misconfigured = starters.submit(() -> AgentApp.run("fleet-replica-wrong-password",
        System.getProperty("java.home"), AgentApp.appClasspath("openai-app-newest"),
        "dev.llmotel.smoke.openai.OpenAiSmokeApp", run.receiver.endpoint(), wrong,
        Arrays.asList(run.llm.baseUrl() + "/v1", "hold-steady")));
    // Each burst starts on every replica at once, however long each JVM took to get there.
    openGate("hold-rate-burst");
    openGate("hold-budget-burst");
    releaseWhenEveryCallIsDecided("hold-budget-burst", budgetAnswers);
    openGate("hold-trace-budget-burst");
    releaseWhenEveryCallIsDecided("hold-trace-budget-burst", traceBudgetAnswers);
    // Read before Redis is stopped below (it keeps nothing across a restart).
    awaitInEveryLog("RESULT hold-trace-budget-burst ");
    traceSpendInRedis = Double.parseDouble(redisCli(server, "HGET", "llm-otel:{fleet-checkout}:trace/" + BUDGET_TRACE_ID, "$"));
    // Redis stopped while every replica makes steady calls, and started again 2 s later on the same port.
    awaitInEveryLog("STEADY-START");
    redis.destroy();
    redis.waitFor(5, TimeUnit.SECONDS);
    Thread.sleep(2000);
    redis = startRedis(server);
    // Back on the shared store, then Redis answers slowly: every command waits 1.5 s (CLIENT PAUSE).
    awaitInEveryLog("answers again");
    assertEquals("OK", redisCli(server, "CLIENT", "PAUSE", "1500", "ALL"), "redis-cli CLIENT PAUSE");
    for (Future<AgentApp> f : launched) apps.add(f.get(300, TimeUnit.SECONDS));
    wrongPassword = misconfigured.get(300, TimeUnit.SECONDS);
    starters.shutdown();
  }

  @AfterAll
  void stop() throws Exception {
    if (run != null) run.close();
    if (redis != null) {
      redis.destroy();
      redis.waitFor(5, TimeUnit.SECONDS);
    }
  }

  private Process startRedis(String server) throws Exception {
    Process p = new ProcessBuilder(server, "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--requirepass", PASSWORD).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(AgentApp.required("smoke.outputDir"), "fleet-redis.log")))
        .start();
    awaitPort(redisPort);
    return p;
  }

  private static Behaviour[] held(CountDownLatch release) {
    Behaviour[] held = new Behaviour[CALLS_PER_BURST];
    Arrays.fill(held, Behaviour.heldUntil(release));
    return held;
  }

  /** Lets a burst's threads go on every replica at once, when every replica has said it is ready. */
  private void openGate(String scenario) throws Exception {
    awaitInEveryLog("GATE-WAIT " + scenario);
    Files.write(gates.resolve(scenario), new byte[0]);
  }

  /**
   * Releases the answers held for a burst's admitted calls once every call of every replica has been
   * decided: those that ended in the app (refused, as each replica reports) plus those that reached the
   * provider (admitted, their answers held) are all of them.
   */
  private void releaseWhenEveryCallIsDecided(String scenario, CountDownLatch answers) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try {
      while (true) {
        int decided = run.llm.requests(scenario).size();
        for (int i = 0; i < REPLICAS; i++) decided += lastCount(replicaLog(i), "BURST-ENDED " + scenario + " ");
        if (decided >= REPLICAS * CALLS_PER_BURST) return;
        if (System.nanoTime() > deadline) {
          releasedEarly.add(scenario + " (" + decided + " of " + REPLICAS * CALLS_PER_BURST + " decided)");
          return;
        }
        Thread.sleep(50);
      }
    } finally {
      answers.countDown();
    }
  }

  private static Path replicaLog(int i) {
    return Paths.get(AgentApp.required("smoke.outputDir"), "fleet-replica-" + i + ".log");
  }

  /** The number after the last occurrence of the prefix in the log so far, or 0. */
  private static int lastCount(Path log, String prefix) throws IOException {
    if (!Files.exists(log)) return 0;
    String text = new String(Files.readAllBytes(log), java.nio.charset.StandardCharsets.UTF_8);
    int from = text.lastIndexOf(prefix);
    if (from < 0) return 0;
    int start = from + prefix.length();
    int end = start;
    while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
    return end == start ? 0 : Integer.parseInt(text.substring(start, end));
  }

  /** Runs redis-cli against the test's server; its output, trimmed. */
  private String redisCli(String server, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(Arrays.asList(new File(new File(server).getParentFile(), "redis-cli").getPath(),
        "-p", String.valueOf(redisPort), "--no-auth-warning", "-a", PASSWORD));
    cmd.addAll(Arrays.asList(command));
    Process cli = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertEquals(0, cli.waitFor(), "redis-cli " + command[0] + ": " + out);
    return out;
  }

  /** Waits until each replica's log (smoke-output/NAME.log, written as it runs) has the marker. */
  private static void awaitInEveryLog(String marker) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int i = 0; i < REPLICAS; i++) {
      java.nio.file.Path log = java.nio.file.Paths.get(AgentApp.required("smoke.outputDir"), "fleet-replica-" + i + ".log");
      while (!(java.nio.file.Files.exists(log) && new String(java.nio.file.Files.readAllBytes(log),
          java.nio.charset.StandardCharsets.UTF_8).contains(marker))) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("no " + marker + " in " + log);
        Thread.sleep(50);
      }
    }
  }

  /** What a replica logged before its steady phase, when the store was up all along. */
  private static String beforeOutage(AgentApp app) {
    int i = app.output.indexOf("STEADY-START");
    return i < 0 ? app.output : app.output.substring(0, i);
  }

  private static long operatorLines(String log, String needle) {
    return Arrays.stream(log.split("\n")).filter(l -> l.contains(needle) && !l.contains(" DEBUG ")).count();
  }

  @Test
  void everyReplicaRanCleanlyOnTheSharedStore() {
    for (AgentApp app : apps) {
      assertEquals(0, app.exitCode, app.output);
      assertEquals(SCENARIOS.size(), app.results.size(), app.results.toString());
      assertEquals(Collections.emptyList(), app.instrumentationErrors());
      assertTrue(app.output.contains("policy state shared through redis://127.0.0.1:" + redisPort),
          "the one flag took effect");
      assertTrue(!beforeOutage(app).contains("is unavailable"), "never fell back while the store was up");
    }
    List<dev.llmotel.testkit.otlp.ReceivedPoint> health = run.receiver.latestPoints("llm_otel.governance.store.fallback");
    assertTrue(!health.isEmpty(), "the store's health is exported");
    // Per replica (resource): 0 on the shared store at the end; 1 for the replica with the wrong password.
    assertEquals(REPLICAS, health.stream().filter(p -> p.value() == 0).count(), health.toString());
    assertEquals(1, health.stream().filter(p -> p.value() == 1).count(), health.toString());
  }

  @Test
  void theFleetAdmitsOneRateLimitNotOnePerReplica() {
    int[] total = totals("hold-rate-burst");
    assertEquals(10, total[0], "admitted fleet-wide: " + perReplica("hold-rate-burst"));
    assertEquals(REPLICAS * 64 - 10, total[1]);
    assertEquals(0, total[2]);
    assertEquals(10, run.llm.requests("hold-rate-burst").size(), "only the admitted calls reached the provider");
  }

  @Test
  void theFleetAdmitsOneBudgetNotOnePerReplica() {
    assertEquals(Collections.emptyList(), releasedEarly, "every burst call was decided before any answer");
    int[] total = totals("hold-budget-burst");
    assertEquals(9, total[0], "admitted fleet-wide: " + perReplica("hold-budget-burst"));
    assertEquals(REPLICAS * 64 - 9, total[1]);
    assertEquals(9, run.llm.requests("hold-budget-burst").size());
  }

  @Test
  void oneAgentRunSpreadOverTheReplicasKeepsOneLoopCount() {
    // Three replicas send the same request three times each in one trace; max_repeats 2 holds fleet-wide.
    Pattern loop = Pattern.compile("ok ok=(\\d+) refused=(\\d+)");
    int ok = 0;
    int refused = 0;
    for (AgentApp app : apps) {
      Matcher m = loop.matcher(String.valueOf(app.results.get("hold-trace-loop")));
      assertTrue(m.matches(), app.results.toString());
      ok += Integer.parseInt(m.group(1));
      refused += Integer.parseInt(m.group(2));
    }
    assertEquals(2, ok, "admitted in the trace across the fleet: " + perReplica("hold-trace-loop"));
    assertEquals(REPLICAS * 3 - 2, refused);
    List<dev.llmotel.testkit.otlp.ReceivedSpan> loopSpans = run.receiver.trace(TRACE_ID).stream()
        .filter(s -> s.hasAttr("gen_ai.operation.name")).collect(java.util.stream.Collectors.toList());
    assertEquals(REPLICAS * 3, loopSpans.size(), "every step is in the one trace");
    assertEquals(REPLICAS * 3 - 2, loopSpans.stream().filter(s -> "loop_guard".equals(s.attr("llm_otel.policy.name"))
        && "refused".equals(s.attr("llm_otel.policy.decision"))).count());
  }

  @Test
  void oneAgentRunSpreadOverTheReplicasHasOneTraceBudget() {
    // 64 calls on each replica at once, all in one trace whose budget fits six estimates: six, fleet-wide.
    assertEquals(Collections.emptyList(), releasedEarly, "every burst call was decided before any answer");
    int[] total = totals("hold-trace-budget-burst");
    assertEquals(6, total[0], "admitted in the trace across the fleet: " + perReplica("hold-trace-budget-burst"));
    assertEquals(REPLICAS * CALLS_PER_BURST - 6, total[1]);
    assertEquals(0, total[2]);
    assertEquals(6, run.llm.requests("hold-trace-budget-burst").size(), "only the admitted calls reached the provider");
    List<dev.llmotel.testkit.otlp.ReceivedSpan> calls = run.receiver.trace(BUDGET_TRACE_ID).stream()
        .filter(s -> s.hasAttr("gen_ai.operation.name")).collect(java.util.stream.Collectors.toList());
    assertEquals(REPLICAS * CALLS_PER_BURST, calls.size(), "every call is in the one trace");
    List<dev.llmotel.testkit.otlp.ReceivedSpan> refused = calls.stream()
        .filter(s -> "refused".equals(s.attr("llm_otel.policy.decision"))).collect(java.util.stream.Collectors.toList());
    assertEquals(REPLICAS * CALLS_PER_BURST - 6, refused.size());
    // While the six were in flight their estimates were reserved: what each refusal saw spent.
    Pattern message = Pattern.compile("budget of 0\\.0650 USD per trace reached \\(spent (\\S+) USD, this call "
        + "estimated at (\\S+) USD\\)");
    double maxSpentSeen = 0;
    for (dev.llmotel.testkit.otlp.ReceivedSpan s : refused) {
      assertEquals("cost", s.attr("llm_otel.policy.name"));
      Matcher m = message.matcher(s.attr("llm_otel.policy.message"));
      assertTrue(m.find(), s.attr("llm_otel.policy.message"));
      double spent = Double.parseDouble(m.group(1));
      double estimate = Double.parseDouble(m.group(2));
      assertTrue(spent + estimate > PER_TRACE_USD, "refused only when the estimate did not fit: " + m.group());
      maxSpentSeen = Math.max(maxSpentSeen, spent);
    }
    assertTrue(maxSpentSeen <= PER_TRACE_USD, "reserved within the budget: " + maxSpentSeen);
    // Once they ended, each reservation settled to the call's real cost: the spend Redis records for the
    // trace is what the six cost, within the budget (the guarantee: the budget plus one call's estimate
    // error; here every real cost is below its estimate, so within the budget itself).
    List<dev.llmotel.testkit.otlp.ReceivedSpan> admitted = calls.stream().filter(s -> !s.hasAttr("llm_otel.policy.decision"))
        .collect(java.util.stream.Collectors.toList());
    assertEquals(6, admitted.size());
    double realCost = admitted.stream().mapToDouble(s -> s.doubleAttr("llm_otel.cost.usd")).sum();
    assertTrue(realCost > 0, "the admitted calls cost something");
    assertEquals(realCost, traceSpendInRedis, 1e-9, "the trace's spend in Redis is the settled real cost");
    assertTrue(traceSpendInRedis <= PER_TRACE_USD, "spent " + traceSpendInRedis);
  }

  @Test
  void aRedisOutageAndASlowRedisMidRunNeverReachTheAppAndEachTransitionIsOneLine() {
    for (AgentApp app : apps) {
      String steady = app.results.get("hold-steady");
      assertTrue(steady != null && steady.matches("ok ok=\\d+ other=0"), "every steady call succeeded: " + steady);
      // Stopped and started: one line each way; paused (slow): one line each way again.
      assertEquals(2, operatorLines(app.output, "is unavailable"), "one line per fall back: " + app.output);
      assertEquals(2, operatorLines(app.output, "answers again"), "one line per return to the shared store");
    }
    double toFallback = run.receiver.latestPoints("llm_otel.governance.store.transitions").stream()
        .filter(p -> "fallback".equals(p.attr("llm_otel.governance.store.state")))
        .mapToDouble(dev.llmotel.testkit.otlp.ReceivedPoint::value).sum();
    assertEquals(2 * REPLICAS + 1, toFallback, 0.0, "each switch to the fallback counted (the misconfigured replica's too)");
  }

  @Test
  void aReplicaWithTheWrongPasswordServesEveryCallAndNeitherPasswordLeaks() {
    assertEquals(0, wrongPassword.exitCode, wrongPassword.output);
    String steady = wrongPassword.results.get("hold-steady");
    assertTrue(steady != null && steady.matches("ok ok=\\d+ other=0"), "every call succeeded on the fallback: " + steady);
    assertEquals(1, operatorLines(wrongPassword.output, "is unavailable"), "one line, at start");
    assertEquals(0, operatorLines(wrongPassword.output, "answers again"), "it never gets in");
    assertTrue(wrongPassword.output.contains("WRONGPASS") || wrongPassword.output.contains("invalid password"),
        "the line says why");
    List<AgentApp> all = new ArrayList<>(apps);
    all.add(wrongPassword);
    for (AgentApp app : all) {
      for (String line : app.output.split("\n")) {
        if (line.contains("llm-otel") || line.contains("governance")) {
          assertFalse(line.contains(PASSWORD) || line.contains(WRONG_PASSWORD), "a password in a log line: " + line);
        }
      }
    }
    assertFalse(run.receiver.rawBytesContain(PASSWORD), "the password reached the telemetry");
    assertFalse(run.receiver.rawBytesContain(WRONG_PASSWORD), "the wrong password reached the telemetry");
  }

  private int[] totals(String scenario) {
    int[] total = new int[3];
    for (AgentApp app : apps) {
      Matcher m = BURST.matcher(String.valueOf(app.results.get(scenario)));
      assertTrue(m.matches(), app.results.toString());
      for (int i = 0; i < 3; i++) total[i] += Integer.parseInt(m.group(i + 1));
    }
    return total;
  }

  private List<String> perReplica(String scenario) {
    List<String> out = new ArrayList<>();
    for (AgentApp app : apps) out.add(app.results.get(scenario));
    return out;
  }

  private static String redisServer() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) return f.getPath();
    }
    File debian = new File("/usr/bin/redis-server");
    return debian.canExecute() ? debian.getPath() : null;
  }

  private static void awaitPort(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port);
  }
}
