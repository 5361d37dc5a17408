package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Never worse than local: Redis stopped in the middle of a run and started again, Redis answering
 * slowly, a wrong password, a replica started while Redis is down. Calls never fail and never wait
 * much longer than the timeout; the local limits hold meanwhile; each transition is one log line;
 * the store returns to Redis by itself.
 */
class SharedPolicyStoreFaultTest {
  static final int TIMEOUT_MS = 50;
  /** What a call may take beyond the timeout on a busy 2-core test machine. */
  static final long SLACK_MS = 250;
  final CapturedLog log = new CapturedLog(SharedPolicyStore.class);
  final List<LogRecord> logged = log.records;
  final List<SharedPolicyStore> stores = new ArrayList<>();
  final List<RedisServer> servers = new ArrayList<>();

  @BeforeEach
  void captureLog() {
    log.attach();
  }

  @AfterEach
  void cleanUp() throws Exception {
    log.detach();
    for (SharedPolicyStore s : stores) s.stopProbe();
    for (RedisServer s : servers) s.stop();
  }

  SharedPolicyStore store(int port, String password) {
    RedisStoreConfig c = new RedisStoreConfig(false, "127.0.0.1", port, 0, null, password, TIMEOUT_MS, 8,
        "llm-otel-test", "faults");
    SharedPolicyStore s = SharedPolicyStores.create(c, new LocalPolicyStore(1000, 3_600_000), 3_600_000, null);
    stores.add(s);
    return s;
  }

  long lines(String needle, Level level) {
    return logged.stream().filter(r -> r.getLevel() == level && r.getMessage().contains(needle)).count();
  }

  static void awaitShared(SharedPolicyStore s) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (s.onFallback() && System.nanoTime() < deadline) Thread.sleep(20);
    assertFalse(s.onFallback(), "back on the shared store by itself");
  }

  /** Admits one call and returns how long it took, in ms; it must not throw. */
  static long timed(SharedPolicyStore s, AdmissionRequest r, List<Admission> out) {
    long t0 = System.nanoTime();
    out.add(s.admit(r));
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  @Test
  void redisStoppedMidRunFallsBackWithTheSameLimitsLogsOnceAndComesBack() throws Exception {
    RedisServer server = RedisServer.launch();
    servers.add(server);
    SharedPolicyStore store = store(server.port, null);
    JedisPooled admin = new JedisPooled("127.0.0.1", server.port);
    long now = System.currentTimeMillis();
    for (int i = 0; i < 5; i++) assertFalse(store.admit(new AdmissionRequest(now, 0).rate("before", 100, true)).refused());
    assertEquals(5, admin.hgetAll("llm-otel-test:{faults}:before").values().stream().mapToDouble(Double::parseDouble).sum());
    admin.close();

    server.stop();
    // 8 threads x 40 calls against a limit of 50 while Redis is gone: every call answered, the local limit holds.
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicLong slowest = new AtomicLong();
    List<Future<List<Admission>>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(() -> {
        List<Admission> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          long ms = timed(store, new AdmissionRequest(System.currentTimeMillis(), 0).rate("during", 50, true), out);
          slowest.accumulateAndGet(ms, Math::max);
        }
        return out;
      }));
    }
    long admitted = 0;
    for (Future<List<Admission>> f : futures) admitted += f.get(30, TimeUnit.SECONDS).stream().filter(a -> !a.refused()).count();
    pool.shutdown();
    assertTrue(store.onFallback());
    assertEquals(50, admitted, "the replica's local state enforces the same limit");
    assertTrue(slowest.get() <= TIMEOUT_MS + SLACK_MS, "slowest call " + slowest.get() + " ms");
    assertEquals(1, lines("is unavailable", Level.WARNING), "one line at the transition, not one per call");

    server.start();
    awaitShared(store);
    assertEquals(1, lines("answers again", Level.INFO));
    Admission after = store.admit(new AdmissionRequest(System.currentTimeMillis(), 0).rate("after", 10, true));
    assertFalse(after.refused());
    try (JedisPooled again = new JedisPooled("127.0.0.1", server.port)) {
      assertTrue(again.exists("llm-otel-test:{faults}:after"), "admissions are in Redis again");
    }
    // Stays on Redis: no flap from connections that died with the old server.
    for (int i = 0; i < 20; i++) store.admit(new AdmissionRequest(System.currentTimeMillis(), 0).rate("after", 100, true));
    assertFalse(store.onFallback());
    assertEquals(1, lines("is unavailable", Level.WARNING));
  }

  @Test
  void aSlowRedisCostsACallAtMostTheTimeoutThenTheReplicaFallsBackAndReturns() throws Exception {
    RedisServer server = RedisServer.launch();
    servers.add(server);
    SharedPolicyStore store = store(server.port, null);
    store.admit(new AdmissionRequest(System.currentTimeMillis(), 0).rate("slow", 100, true));
    assertFalse(store.onFallback());
    try (JedisPooled admin = new JedisPooled("127.0.0.1", server.port)) {
      admin.sendCommand(redis.clients.jedis.Protocol.Command.CLIENT, "PAUSE", "1500", "ALL");
    }
    List<Admission> out = new ArrayList<>();
    long first = timed(store, new AdmissionRequest(System.currentTimeMillis(), 0).rate("slow", 100, true), out);
    long second = timed(store, new AdmissionRequest(System.currentTimeMillis(), 0).rate("slow", 100, true), out);
    assertTrue(first >= TIMEOUT_MS - 5 && first <= TIMEOUT_MS + SLACK_MS, "waited " + first + " ms for a paused Redis");
    assertTrue(second < 20, "on the fallback, no call waits for Redis: " + second + " ms");
    assertTrue(store.onFallback());
    assertFalse(out.get(0).refused());
    assertEquals(1, lines("is unavailable", Level.WARNING));
    awaitShared(store);
    assertEquals(1, lines("answers again", Level.INFO));
  }

  @Test
  void aWrongPasswordFallsBackAndNeverAppearsInALogLine() throws Exception {
    RedisServer server = RedisServer.launch("--requirepass", "right-pw-8431");
    servers.add(server);
    SharedPolicyStore wrong = store(server.port, "wrong-pw-5527");
    for (int i = 0; i < 5; i++) assertFalse(wrong.admit(new AdmissionRequest(0, 0).rate("pw", 3, true)).refused() && i < 3);
    assertTrue(wrong.onFallback());
    assertEquals(1, lines("is unavailable", Level.WARNING));
    String line = logged.stream().filter(r -> r.getMessage().contains("is unavailable")).findFirst().get().getMessage();
    assertTrue(line.contains("WRONGPASS") || line.contains("NOAUTH") || line.contains("AccessControl"), line);
    Thread.sleep(500); // a few probes fail meanwhile: still one line
    assertEquals(1, lines("is unavailable", Level.WARNING));
    for (LogRecord r : logged) {
      assertFalse(String.valueOf(r.getMessage()).contains("wrong-pw-5527"), r.getMessage());
      assertFalse(String.valueOf(r.getMessage()).contains("right-pw-8431"), r.getMessage());
    }

    SharedPolicyStore right = store(server.port, "right-pw-8431");
    assertFalse(right.admit(new AdmissionRequest(0, 0).rate("pw", 3, true)).refused());
    assertFalse(right.onFallback());
  }

  @Test
  void aReplicaStartedWhileRedisIsDownStartsNormallyAndJoinsWhenRedisComesUp() throws Exception {
    int port = RedisServer.freePort();
    SharedPolicyStore store = store(port, null);
    List<Admission> out = new ArrayList<>();
    long ms = timed(store, new AdmissionRequest(System.currentTimeMillis(), 0.01)
        .budget("cost/process", "process", 1, 0, 0, true), out);
    assertTrue(ms <= TIMEOUT_MS + SLACK_MS, ms + " ms");
    assertFalse(out.get(0).refused());
    assertTrue(store.onFallback());
    // Settled on the fallback, where it was made.
    store.settle(out.get(0).reservation, 0.005, System.currentTimeMillis());
    assertEquals(0.005, store.spent("cost/process", System.currentTimeMillis())[0], 1e-12);

    RedisServer server = RedisServer.on(port);
    servers.add(server);
    server.start();
    awaitShared(store);
    assertEquals(0.0, store.spent("cost/process", System.currentTimeMillis())[0], "the shared budget is Redis's");
  }

  @Test
  void aReservationMadeOnRedisAndSettledWhileItIsDownIsDropped() throws Exception {
    RedisServer server = RedisServer.launch();
    servers.add(server);
    SharedPolicyStore store = store(server.port, null);
    long now = System.currentTimeMillis();
    Admission a = store.admit(new AdmissionRequest(now, 0.5).budget("cost/process", "process", 0, 0, 10, true));
    server.stop();
    store.admit(new AdmissionRequest(now, 0).rate("x", 10, true)); // notices the outage
    assertTrue(store.onFallback());
    store.settle(a.reservation, 0.1, now + 1); // no exception, no wait, nothing on the local state
    assertEquals(0.0, store.spent("cost/process", now + 1)[2]);
  }
}
