package dev.llmotel.core.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The Redis store against a real redis-server: PolicyStoreConcurrencyTest's bursts (64 threads
 * released together, repeated) admit exactly each limit, also when the threads are split over two
 * store instances with their own connection pools (two replicas); settlement, expiry and the key
 * layout the runbook documents.
 */
class RedisPolicyStoreTest {
  static final int THREADS = 64;
  static final int ROUNDS = 10;
  static final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  static final AtomicInteger services = new AtomicInteger();
  static RedisServer server;
  static JedisPooled admin;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.launch();
    admin = new JedisPooled("127.0.0.1", server.port);
  }

  @AfterAll
  static void stop() throws Exception {
    pool.shutdownNow();
    if (admin != null) admin.close();
    if (server != null) server.stop();
  }

  /** A replica's store for a service of its own (each test and round starts from nothing). */
  static RedisPolicyStore replica(String service) {
    RedisStoreConfig c = config(server.port, service, null, 1000);
    return new RedisPolicyStore(SharedPolicyStores.client(c), c.keyBase, 3_600_000);
  }

  static RedisStoreConfig config(int port, String service, String password, int timeoutMillis) {
    return new RedisStoreConfig(false, "127.0.0.1", port, 0, null, password, timeoutMillis, 32, "llm-otel-test",
        service);
  }

  static String newService() {
    return "svc-" + services.incrementAndGet();
  }

  static <T> List<T> burst(Callable<T> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return task.call();
      }));
    }
    List<T> out = new ArrayList<>();
    for (Future<T> f : futures) out.add(f.get(30, TimeUnit.SECONDS));
    return out;
  }

  static long admitted(List<Admission> results) {
    return results.stream().filter(a -> !a.refused()).count();
  }

  @Test
  void rateLimitAdmitsExactlyItsLimitAcrossTwoReplicas() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = newService();
      RedisPolicyStore a = replica(service);
      RedisPolicyStore b = replica(service);
      long now = System.currentTimeMillis();
      AtomicInteger n = new AtomicInteger();
      List<Admission> results = burst(() -> (n.incrementAndGet() % 2 == 0 ? a : b)
          .admit(new AdmissionRequest(now, 0).rate("rate/openai/m", 10, true)));
      assertEquals(10, admitted(results), "round " + round);
      Admission refused = results.stream().filter(Admission::refused).findFirst().get();
      assertEquals(Admission.Check.RATE_LIMIT, refused.failures.get(0).check);
      assertEquals("rate/openai/m", refused.failures.get(0).scope);
      assertEquals(10.0, refused.failures.get(0).value, "a refused call saw the limit taken, not more");
    }
  }

  @Test
  void budgetAdmitsOnlyWhatItsEstimatesFitThenSettlesToTheRealCost() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = newService();
      RedisPolicyStore a = replica(service);
      RedisPolicyStore b = replica(service);
      long now = System.currentTimeMillis();
      AtomicInteger n = new AtomicInteger();
      List<Admission> results = burst(() -> (n.incrementAndGet() % 2 == 0 ? a : b).admit(
          new AdmissionRequest(now, 0.01).budget("b", "workflow w", 0, 0.09, 0, true)));
      assertEquals(9, admitted(results), "round " + round);
      assertEquals(0.09, a.spent("b", now)[1], 1e-9, "nine reservations held");
      for (Admission x : results) {
        if (!x.refused()) ((RedisPolicyStore.Reservation) x.reservation).store.settle(x.reservation, 0.004, now + 10);
      }
      assertEquals(0.036, b.spent("b", now + 10)[1], 1e-9);
      List<Admission> more = burst(() -> (n.incrementAndGet() % 2 == 0 ? a : b).admit(
          new AdmissionRequest(now + 20, 0.01).budget("b", "workflow w", 0, 0.09, 0, true)));
      assertEquals(5, admitted(more), "0.054 USD left fits five more estimates of 0.01");
    }
  }

  @Test
  void settlingTwiceOrAfterAFailureChangesNothingMore() {
    RedisPolicyStore store = replica(newService());
    long now = 10_000_000;
    Admission a = store.admit(new AdmissionRequest(now, 0.5).budget("b", "process", 1.0, 0, 0, true));
    assertFalse(a.refused());
    store.settle(a.reservation, 0, now + 5);
    store.settle(a.reservation, 0.7, now + 6);
    assertEquals(0.0, store.spent("b", now + 6)[0], 1e-12);
  }

  @Test
  void loopGuardAdmitsExactlyMaxRepeatsOfOneRequestInOneTraceAcrossReplicas() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = newService();
      RedisPolicyStore a = replica(service);
      RedisPolicyStore b = replica(service);
      AtomicInteger n = new AtomicInteger();
      List<Admission> results = burst(() -> (n.incrementAndGet() % 2 == 0 ? a : b).admit(
          new AdmissionRequest(0, 0).trace("trace-1", 0, false, 42L, 3, true)));
      assertEquals(3, admitted(results), "round " + round);
      assertFalse(a.admit(new AdmissionRequest(0, 0).trace("trace-1", 0, false, 43L, 3, true)).refused());
      assertFalse(b.admit(new AdmissionRequest(0, 0).trace("trace-2", 0, false, 42L, 3, true)).refused());
    }
  }

  @Test
  void perTraceBudgetHoldsForConcurrentCallsOfOneTraceOnTwoReplicas() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String service = newService();
      RedisPolicyStore a = replica(service);
      RedisPolicyStore b = replica(service);
      AtomicInteger n = new AtomicInteger();
      List<Admission> results = burst(() -> (n.incrementAndGet() % 2 == 0 ? a : b).admit(
          new AdmissionRequest(0, 0.1).trace("run", 0.35, true, null, 0, false)));
      assertEquals(3, admitted(results), "round " + round);
    }
  }

  @Test
  void aCallRefusedByOneCheckTakesNothingFromTheOthers() {
    RedisPolicyStore store = replica(newService());
    long t = 20_000_000;
    Admission first = store.admit(new AdmissionRequest(t, 1.0).budget("w", "workflow w", 1.0, 0, 0, true));
    assertFalse(first.refused());
    for (int i = 0; i < 5; i++) {
      Admission a = store.admit(new AdmissionRequest(t + 1, 0.5).rate("m", 2, true)
          .budget("w", "workflow w", 1.0, 0, 0, true).trace("t", 0, false, 7L, 1, true));
      assertTrue(a.refused());
      assertNull(a.reservation);
      assertEquals("workflow w", a.failures.get(0).scope);
      assertEquals("minute", a.failures.get(0).window);
    }
    assertFalse(store.admit(new AdmissionRequest(t + 2, 0).rate("m", 2, true).trace("t", 0, false, 7L, 1, true))
        .refused(), "no rate-limit slot and no repeat was taken by the refused calls");
  }

  @Test
  void monitoredChecksAdmitEverythingAndReportWhatWouldHaveBeenRefused() throws Exception {
    RedisPolicyStore store = replica(newService());
    List<Admission> results = burst(() -> store.admit(new AdmissionRequest(0, 0).rate("m", 10, false)));
    assertEquals(THREADS, admitted(results));
    assertEquals(THREADS - 10, results.stream().filter(a -> !a.failures.isEmpty()).count());
  }

  @Test
  void rateLimitWindowSlides() {
    RedisPolicyStore store = replica(newService());
    for (int i = 0; i < 3; i++) assertFalse(store.admit(new AdmissionRequest(10_000, 0).rate("m", 3, true)).refused());
    assertTrue(store.admit(new AdmissionRequest(69_000, 0).rate("m", 3, true)).refused());
    assertFalse(store.admit(new AdmissionRequest(70_500, 0).rate("m", 3, true)).refused(), "a minute later");
  }

  @Test
  void keysAreNamespacedByServiceAndExpireWithTheirWindows() {
    String service = newService();
    RedisPolicyStore store = replica(service);
    long now = System.currentTimeMillis();
    Admission a = store.admit(new AdmissionRequest(now, 0.01).rate("rate/openai/gpt-4o", 10, true)
        .budget("cost/process", "process", 1, 10, 100, true).trace("abc", 1, true, 5L, 3, true));
    assertFalse(a.refused());
    String base = "llm-otel-test:{" + service + "}:";
    assertTrue(between(admin.pttl(base + "rate/openai/gpt-4o"), 59_000, 60_000));
    assertTrue(between(admin.pttl(base + "cost/process:m"), 59_000, 60_000));
    assertTrue(between(admin.pttl(base + "cost/process:h"), 3_599_000, 3_600_000));
    assertTrue(between(admin.pttl(base + "cost/process:d"), 86_399_000, 86_400_000));
    assertTrue(between(admin.pttl(base + "trace/abc"), 3_599_000, 3_600_000));
    Map<String, String> rate = admin.hgetAll(base + "rate/openai/gpt-4o");
    assertEquals(1, rate.size());
    assertEquals(Long.toString(now / 1000), rate.keySet().iterator().next(), "one 1-s bucket, named by its second");
    assertEquals(1.0, Double.parseDouble(rate.values().iterator().next()));
    Map<String, String> trace = admin.hgetAll(base + "trace/abc");
    assertEquals(0.01, Double.parseDouble(trace.get("$")), 1e-12);
    assertEquals("1", trace.get("h:5"));
    // Another service's replica shares nothing with this one.
    RedisPolicyStore other = replica(newService());
    assertEquals(0.0, other.spent("cost/process", now)[0]);
    assertEquals(0.01, store.spent("cost/process", now)[0], 1e-12);
  }

  @Test
  void oldBucketsAreDroppedWhenTheirKeyIsWrittenAgain() {
    String service = newService();
    RedisPolicyStore store = replica(service);
    long t0 = 1_000_000_000L;
    for (int s = 0; s < 120; s++) store.admit(new AdmissionRequest(t0 + s * 1000L, 0).rate("m", 1000, true));
    assertEquals(60, admin.hlen("llm-otel-test:{" + service + "}:m"), "a minute of 1-s buckets, no more");
  }

  @Test
  void aTraceRemembersAtMostMaxRepeatHashes() {
    String service = newService();
    RedisPolicyStore store = replica(service);
    for (long h = 0; h < LocalPolicyStore.MAX_REPEAT_HASHES + 10; h++) {
      store.admit(new AdmissionRequest(0, 0).trace("t", 0, false, h, 1, true));
    }
    // spent, the insert count, and per slot the hash and its count.
    assertEquals(2 + 2 * LocalPolicyStore.MAX_REPEAT_HASHES, admin.hlen("llm-otel-test:{" + service + "}:trace/t"));
    assertFalse(store.admit(new AdmissionRequest(0, 0).trace("t", 0, false, 0L, 1, true)).refused(),
        "the oldest hash was replaced: its repeat is new again, as in the local store");
    assertTrue(store.admit(new AdmissionRequest(0, 0).trace("t", 0, false, 265L, 1, true)).refused());
  }

  @Test
  void aReservationNotSettledYetIsTheSameAcrossReplicasAndTheScriptIsReloadedAfterAFlush() {
    String service = newService();
    RedisPolicyStore a = replica(service);
    admin.scriptFlush();
    Admission x = a.admit(new AdmissionRequest(0, 0.2).budget("b", "process", 0, 0, 1, true));
    assertNotNull(x.reservation, "EVAL fallback after NOSCRIPT");
    assertEquals(0.2, replica(service).spent("b", 0)[2], 1e-12);
  }

  private static boolean between(long v, long lo, long hi) {
    return v >= lo && v <= hi;
  }
}
